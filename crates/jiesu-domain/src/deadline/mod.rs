//! Time limits and deadline states (时限). Being written.
