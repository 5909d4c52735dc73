//! `wa-emulator` binary: see `wa-emulator --help`.

use std::time::Instant;

fn main() {
    let started = Instant::now();
    let cli = match wa_emulator::parse_args(std::env::args().skip(1)) {
        Ok(Some(c)) => c,
        Ok(None) => {
            print!("{}", wa_emulator::USAGE);
            return;
        }
        Err(e) => {
            eprintln!("wa-emulator: {e}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("wa-emulator: cannot start runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = rt.block_on(async move {
        let app = match wa_emulator::App::new(cli.config) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("wa-emulator: {e}");
                return 2;
            }
        };
        let listener = match tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "wa-emulator: cannot listen on {}:{}: {e}",
                    cli.host, cli.port
                );
                return 1;
            }
        };
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        println!(
            "wa-emulator listening on http://{addr} (ready in {} ms; webhook: {})",
            started.elapsed().as_millis(),
            app.config.webhook_url.as_deref().unwrap_or("off")
        );
        match wa_emulator::serve_app(app, listener).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("wa-emulator: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}
