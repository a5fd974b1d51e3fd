fn main() {
    std::process::exit(spridning::cli::main());
}
