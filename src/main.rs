/// mimalloc instead of the system allocator: the build allocates many
/// small strings and values from rayon's threads, which glibc malloc
/// serves slowly and keeps resident after they are freed (see
/// docs/maintainers.md, "Memory and CPU per entry").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(isms_site::cmd::main());
}
