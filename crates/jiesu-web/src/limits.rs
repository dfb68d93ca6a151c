//! Rate limits (频率限制) against guessing and flooding, per process and in memory:
//!
//! - sign-in: attempts per client address, and failures per (account, address) with a
//!   progressive delay — a name's owner signing in from elsewhere is never locked out, and
//!   an unknown name is throttled exactly like a known one;
//! - citizen query codes: checks per address, failures per (number, address) and per
//!   address — a correct code is refused only when its own client failed too often;
//! - anonymous intake: submissions per address and per phone number (appeals and campaign
//!   proposals alike);
//! - support for campaign proposals: votes per address.
//!
//! Every refusal is a 429 with `Retry-After`.

use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;
use crate::throttle::Throttle;

/// Sign-in attempts per client address per minute.
pub const SIGN_INS_PER_MINUTE: u32 = 20;
/// Wrong passwords for one account from one address before each further one doubles the wait.
pub const FREE_SIGN_IN_FAILURES: u32 = 5;
/// Query-code checks per client address per minute.
pub const CODE_CHECKS_PER_ADDRESS_PER_MINUTE: u32 = 30;
/// Wrong codes for one number from one address before that address is slowed on it.
pub const FREE_CODE_FAILURES_PER_NUMBER: u32 = 10;
/// Wrong codes from one address, over all numbers, before it is slowed on every number.
pub const FREE_CODE_FAILURES_PER_ADDRESS: u32 = 30;

/// Supports of campaign proposals per client address per hour (a household behind one
/// address may vote for many proposals, a script may not).
pub const SUPPORTS_PER_ADDRESS_PER_HOUR: u32 = 120;

/// The limits a server is configured with.
#[derive(Debug, Clone, Copy)]
pub struct LimitConfig {
    /// Anonymous submissions per client address per hour.
    pub public_intakes_per_address_per_hour: u32,
    /// Anonymous submissions per citizen phone number per hour.
    pub public_intakes_per_phone_per_hour: u32,
}

impl Default for LimitConfig {
    fn default() -> Self {
        LimitConfig {
            public_intakes_per_address_per_hour: 20,
            public_intakes_per_phone_per_hour: 5,
        }
    }
}

/// The limiters a server shares between requests.
#[derive(Clone)]
pub struct Limits {
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    sign_in_failures: Throttle<(String, IpAddr)>,
    code_checks: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    code_failures_by_number: Throttle<(String, IpAddr)>,
    code_failures_by_address: Throttle<IpAddr>,
    intake_by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    intake_by_phone: Arc<DefaultKeyedRateLimiter<String>>,
    support_by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

fn non_zero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn keyed<K: Hash + Eq + Clone>(quota: Quota) -> Arc<DefaultKeyedRateLimiter<K>> {
    Arc::new(RateLimiter::keyed(quota))
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

impl Default for Limits {
    fn default() -> Self {
        Limits::new(LimitConfig::default())
    }
}

/// A keyed rate check whose refusal says when to come back.
fn check<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    message: &str,
) -> Result<(), ApiError> {
    limiter.check_key(key).map_err(|not_until| {
        ApiError::too_many(message, not_until.wait_time_from(limiter.clock().now()))
    })
}

/// The client's address (the peer of the connection); unspecified when unknown (tests
/// that call the router directly).
pub fn client_address(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

/// A phone number as a key: its digits only, so spacing and dashes make no new number.
fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

const SIGN_IN_TOO_OFTEN: &str = "登录尝试过于频繁，请稍后再试";
const CODE_TOO_OFTEN: &str = "查询过于频繁，请稍后再试";

impl Limits {
    pub fn new(config: LimitConfig) -> Limits {
        Limits {
            sign_in: keyed(Quota::per_minute(non_zero(SIGN_INS_PER_MINUTE))),
            sign_in_failures: Throttle::new(
                FREE_SIGN_IN_FAILURES,
                Duration::from_secs(1),
                15 * MINUTE,
                HOUR,
            ),
            code_checks: keyed(Quota::per_minute(non_zero(
                CODE_CHECKS_PER_ADDRESS_PER_MINUTE,
            ))),
            code_failures_by_number: Throttle::new(
                FREE_CODE_FAILURES_PER_NUMBER,
                Duration::from_secs(1),
                HOUR,
                HOUR,
            ),
            code_failures_by_address: Throttle::new(
                FREE_CODE_FAILURES_PER_ADDRESS,
                Duration::from_secs(1),
                HOUR,
                HOUR,
            ),
            intake_by_address: keyed(
                Quota::with_period(HOUR / config.public_intakes_per_address_per_hour.max(1))
                    .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
                    .allow_burst(non_zero(config.public_intakes_per_address_per_hour)),
            ),
            intake_by_phone: keyed(
                Quota::with_period(HOUR / config.public_intakes_per_phone_per_hour.max(1))
                    .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
                    .allow_burst(non_zero(config.public_intakes_per_phone_per_hour)),
            ),
            support_by_address: keyed(
                Quota::with_period(HOUR / SUPPORTS_PER_ADDRESS_PER_HOUR)
                    .unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN))
                    .allow_burst(non_zero(SUPPORTS_PER_ADDRESS_PER_HOUR)),
            ),
        }
    }

    /// Limits so high they never bite: for benchmarks that replay one citizen's tracking
    /// page many times from one address, to measure rendering rather than the limiter.
    pub fn for_benchmarks() -> Limits {
        fn many<K: Hash + Eq + Clone>() -> Arc<DefaultKeyedRateLimiter<K>> {
            keyed(Quota::per_second(NonZeroU32::MAX))
        }
        fn never<K: Hash + Eq + Clone>() -> Throttle<K> {
            Throttle::new(u32::MAX, Duration::ZERO, Duration::ZERO, Duration::ZERO)
        }
        Limits {
            sign_in: many(),
            sign_in_failures: never(),
            code_checks: many(),
            code_failures_by_number: never(),
            code_failures_by_address: never(),
            intake_by_address: many(),
            intake_by_phone: many(),
            support_by_address: many(),
        }
    }

    fn account(username: &str, address: IpAddr) -> (String, IpAddr) {
        (username.trim().to_lowercase(), address)
    }

    /// Before checking a password for `username` from `address`: refused while the address
    /// tries too often, or while this account failed too often from this address.
    pub fn before_sign_in(&self, username: &str, address: IpAddr) -> Result<(), ApiError> {
        check(&self.sign_in, &address, SIGN_IN_TOO_OFTEN)?;
        match self
            .sign_in_failures
            .wait(&Self::account(username, address))
        {
            Some(wait) => Err(ApiError::too_many(SIGN_IN_TOO_OFTEN, wait)),
            None => Ok(()),
        }
    }

    /// A wrong password (or an unknown name) for `username` from `address`.
    pub fn sign_in_failed(&self, username: &str, address: IpAddr) {
        self.sign_in_failures
            .failed(Self::account(username, address));
    }

    /// A successful sign-in: earlier failures from this address are forgotten.
    pub fn sign_in_succeeded(&self, username: &str, address: IpAddr) {
        self.sign_in_failures
            .succeeded(&Self::account(username, address));
    }

    /// Before checking a query code from `address`: refused only while the address itself
    /// checks too often or has failed too often overall.
    pub fn before_code_check(&self, address: IpAddr) -> Result<(), ApiError> {
        check(&self.code_checks, &address, CODE_TOO_OFTEN)?;
        match self.code_failures_by_address.wait(&address) {
            Some(wait) => Err(ApiError::too_many(CODE_TOO_OFTEN, wait)),
            None => Ok(()),
        }
    }

    /// A wrong code for `number` from `address`: counted per number and overall; a 429 when
    /// this address now has to wait on this number, else `refused`.
    pub fn code_failed(&self, number: &str, address: IpAddr, refused: ApiError) -> ApiError {
        let overall = self.code_failures_by_address.failed(address);
        let on_number = self
            .code_failures_by_number
            .failed((number.trim().to_string(), address));
        match on_number.max(overall) {
            Some(wait) => ApiError::too_many("该编号查询次数过多，请稍后再试", wait),
            None => refused,
        }
    }

    /// An anonymous submission from `address` for the citizen's `phone`.
    pub fn public_intake(&self, address: IpAddr, phone: Option<&str>) -> Result<(), ApiError> {
        check(
            &self.intake_by_address,
            &address,
            "提交过于频繁，请稍后再试；如需反映多件事项，请拨打 12345 热线",
        )?;
        match phone.map(phone_key).filter(|p| !p.is_empty()) {
            Some(phone) => check(
                &self.intake_by_phone,
                &phone,
                "该手机号提交过于频繁，请稍后再试；如需反映多件事项，请拨打 12345 热线",
            ),
            None => Ok(()),
        }
    }

    /// A citizen's support for a campaign proposal from `address`.
    pub fn public_support(&self, address: IpAddr) -> Result<(), ApiError> {
        check(
            &self.support_by_address,
            &address,
            "支持操作过于频繁，请稍后再试",
        )
    }
}
