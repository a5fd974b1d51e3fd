//! Writes what the Debian package installs beside the binary — manual pages and shell
//! completions, made from the command line's definition — into an empty folder:
//! `cargo run --example package_assets -- target/assets`.

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run --example package_assets -- DIR");
        std::process::exit(2);
    };
    match spridning::cli::assets::write_assets(std::path::Path::new(&dir)) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
        }
        Err(e) => {
            eprintln!("package_assets: {e:#}");
            std::process::exit(1);
        }
    }
}
