//! The `zirkel` binary: everything lives in the library; this only hands over.

// Rendering thousands of pages is allocation-heavy; mimalloc cuts that cost
// markedly against glibc's allocator with several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(zirkel::cli::run());
}
