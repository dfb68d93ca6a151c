//! Rate limits (频率限制) against guessing: sign-in attempts per client address, and citizen
//! query-code checks per appeal number and per address. Per process and in memory — a
//! limit on top of the per-account lock-out kept in the database.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::http::request::Parts;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Sign-in attempts per client address per minute.
pub const SIGN_INS_PER_MINUTE: u32 = 20;
/// Query-code checks per appeal number per hour.
pub const CODE_CHECKS_PER_NUMBER_PER_HOUR: u32 = 20;
/// Query-code checks per client address per minute.
pub const CODE_CHECKS_PER_ADDRESS_PER_MINUTE: u32 = 30;

/// The limiters a server shares between requests.
#[derive(Clone)]
pub struct Limits {
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    code_by_number: Arc<DefaultKeyedRateLimiter<String>>,
    code_by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sign_in: Arc::new(RateLimiter::keyed(per_minute(SIGN_INS_PER_MINUTE))),
            code_by_number: Arc::new(RateLimiter::keyed(Quota::per_hour(
                NonZeroU32::new(CODE_CHECKS_PER_NUMBER_PER_HOUR).unwrap_or(NonZeroU32::MIN),
            ))),
            code_by_address: Arc::new(RateLimiter::keyed(per_minute(
                CODE_CHECKS_PER_ADDRESS_PER_MINUTE,
            ))),
        }
    }
}

fn too_many(message: &str) -> ApiError {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
}

/// The client's address (the peer of the connection); unspecified when unknown (tests
/// that call the router directly).
pub fn client_address(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

impl Limits {
    /// Limits so high they never bite: for benchmarks that replay one citizen's tracking
    /// page many times from one address, to measure rendering rather than the limiter.
    pub fn for_benchmarks() -> Limits {
        let many = || Quota::per_second(NonZeroU32::MAX);
        Limits {
            sign_in: Arc::new(RateLimiter::keyed(many())),
            code_by_number: Arc::new(RateLimiter::keyed(many())),
            code_by_address: Arc::new(RateLimiter::keyed(many())),
        }
    }

    /// One more sign-in attempt from `address`.
    pub fn sign_in(&self, address: IpAddr) -> Result<(), ApiError> {
        self.sign_in
            .check_key(&address)
            .map_err(|_| too_many("登录尝试过于频繁，请稍后再试"))
    }

    /// One more query-code check for `number` from `address`.
    pub fn code_check(&self, number: &str, address: IpAddr) -> Result<(), ApiError> {
        self.code_by_address
            .check_key(&address)
            .map_err(|_| too_many("查询过于频繁，请稍后再试"))?;
        self.code_by_number
            .check_key(&number.trim().to_string())
            .map_err(|_| too_many("该编号查询次数过多，请稍后再试"))
    }
}
