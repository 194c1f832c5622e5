//! The embedded mock as a target: started on a free loopback port with its default token and
//! the fixtures the spec implies, so a run needs nothing but this binary.

use super::Target;
use crate::mock::{self, MockConfig, MockHandle};

/// Starts the embedded mock on the current runtime and returns it with a target for it.
pub async fn start() -> anyhow::Result<(MockHandle, Target)> {
    let config = config();
    let fixtures = config.fixtures.clone();
    let handle = mock::start(config).await?;
    let mut target = Target::new(handle.url.clone(), mock::DEFAULT_TOKEN);
    target.fixtures = fixtures;
    Ok((handle, target))
}

/// The mock's configuration for a run (also what `--dry-run` plans against).
pub fn config() -> MockConfig {
    MockConfig::from_contract_defaults()
}
