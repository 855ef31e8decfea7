fn main() {
    std::process::exit(jiandu::cli::main());
}
