//! How `jiesu serve` and `jiesu demo` face the network (对外服务): the public URL, cookies
//! and HSTS behind TLS, connection limits and the limits on anonymous submissions.

use std::time::Duration;

use jiesu_web::ServeConfig;
use jiesu_web::limits::LimitConfig;

/// The server's network options.
#[derive(clap::Args, Clone)]
pub struct ServerOptions {
    /// The address users reach the server at (e.g. https://12345.example.gov.cn); when it is
    /// https, session cookies are Secure and HSTS is sent.
    #[arg(long, env = "JIESU_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mark session cookies Secure and send HSTS (users reach the server over HTTPS, e.g.
    /// through a TLS proxy); by default on when --public-url is https.
    #[arg(
        long,
        env = "JIESU_SECURE_COOKIES",
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub secure_cookies: Option<bool>,
    /// Seconds a client has to send a request's headers (against slow clients, slowloris).
    #[arg(long, env = "JIESU_HEADER_READ_TIMEOUT", default_value_t = 10)]
    pub header_read_timeout: u64,
    /// Seconds a connection may stay silent while no request of it is being handled.
    #[arg(long, env = "JIESU_IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,
    /// Connections open at once; further clients wait until one closes.
    #[arg(long, env = "JIESU_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,
    /// Anonymous submissions (public API and portal) per client address per hour.
    #[arg(long, env = "JIESU_PUBLIC_INTAKES_PER_ADDRESS", default_value_t = 20)]
    pub public_intakes_per_address: u32,
    /// Anonymous submissions per citizen phone number per hour.
    #[arg(long, env = "JIESU_PUBLIC_INTAKES_PER_PHONE", default_value_t = 5)]
    pub public_intakes_per_phone: u32,
}

impl ServerOptions {
    /// Whether users reach the server over TLS.
    pub fn tls(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| {
            self.public_url
                .as_deref()
                .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"))
        })
    }

    pub fn serve_config(&self) -> ServeConfig {
        ServeConfig {
            header_read_timeout: Duration::from_secs(self.header_read_timeout.max(1)),
            idle_timeout: Duration::from_secs(self.idle_timeout.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }

    pub fn limits(&self) -> LimitConfig {
        LimitConfig {
            public_intakes_per_address_per_hour: self.public_intakes_per_address,
            public_intakes_per_phone_per_hour: self.public_intakes_per_phone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ServerOptions;
    use clap::Parser;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        server: ServerOptions,
    }

    fn tls(args: &[&str]) -> bool {
        Serve::parse_from([&["jiesu"], args].concat()).server.tls()
    }

    #[test]
    fn cookies_are_secure_behind_an_https_url_unless_switched_off() {
        assert!(!tls(&[]));
        assert!(!tls(&["--public-url", "http://10.0.0.5:8080"]));
        assert!(tls(&["--public-url", "https://12345.example.gov.cn"]));
        assert!(!tls(&[
            "--public-url",
            "https://x.example",
            "--secure-cookies",
            "false"
        ]));
        assert!(tls(&["--secure-cookies"]));
    }
}
