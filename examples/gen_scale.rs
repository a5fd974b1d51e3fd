//! Writes a large, deterministic spridning database:
//! `cargo run --release --example gen_scale -- --out FILE --units N --methods N --adoptions N --events N --seed S`

use std::path::PathBuf;

use clap::Parser;
use spridning::scale::{Spec, generate};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = Spec::M.units)]
    units: usize,
    #[arg(long, default_value_t = Spec::M.methods)]
    methods: usize,
    #[arg(long, default_value_t = Spec::M.adoptions)]
    adoptions: usize,
    #[arg(long, default_value_t = Spec::M.events)]
    events: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let a = Args::parse();
    let spec = Spec {
        units: a.units,
        methods: a.methods,
        adoptions: a.adoptions,
        events: a.events,
        seed: a.seed,
    };
    let started = std::time::Instant::now();
    generate(&a.out, &spec)?;
    println!(
        "wrote {} ({spec:?}) in {:.1} s",
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
