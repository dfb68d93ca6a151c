//! Hot-issue discovery (热点问题).
