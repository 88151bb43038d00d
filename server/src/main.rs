//! `platforma`: serve, migrate, create-admin, seed-demo, backup. See `platforma --help`.

/// mimalloc gives freed memory back to the system within milliseconds. With glibc's allocator each
/// thread that hashed a password (argon2 takes 19 MiB) kept that memory in its own arena, so the
/// server's RSS climbed with sign-ins to about 300 MB and stayed there (measured in
/// `bench/memory.sh`, see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    server::cli::main()
}
