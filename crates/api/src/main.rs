use clap::Parser;
use msp_api::{cli, config, infra};
use tracing_subscriber::EnvFilter;

/// Each sign-in's argon2id hash takes a block of memory (19 MiB each until session 20); glibc's
/// allocator kept those blocks in a heap arena per thread that ever hashed (the load bench's
/// server reached 990 MiB), mimalloc gives them back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Before the runtime's threads start: see its doc.
    infra::allocator::return_freed_memory_at_once();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(serve_or_run_command()),
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve_or_run_command() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("APP_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // JSON lines for log collectors; the readable text otherwise.
    let json_lines = std::env::var("APP_LOG_FORMAT").is_ok_and(|format| format == "json");
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json_lines {
        logs.json().init();
    } else {
        logs.init();
    }

    let unknown = config::unknown_app_variables();
    if !unknown.is_empty() {
        eprintln!(
            "error: unknown configuration variable(s) {}; known: {}",
            unknown.join(", "),
            config::KNOWN_APP_VARIABLES.join(", ")
        );
        return std::process::ExitCode::from(2);
    }
    match cli::run(cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
