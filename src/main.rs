fn main() {
    std::process::exit(isms_site::cmd::main());
}
