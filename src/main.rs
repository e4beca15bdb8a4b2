fn main() {
    std::process::exit(isms_site::cli::main());
}
