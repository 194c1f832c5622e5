//! The mock as a target: started on a free loopback port with its default token and the
//! fixtures the contract implies, so a run needs nothing but this binary (and, with `--spec`,
//! the spec file).

use super::Target;
use crate::contract::Contract;
use crate::mock::{self, MockConfig, MockHandle};

/// Starts the mock of `contract` on the current runtime and returns it with a target for it.
pub async fn start(contract: &'static Contract) -> anyhow::Result<(MockHandle, Target)> {
    let config = config(contract);
    let fixtures = config.fixtures.clone();
    let handle = mock::start(config).await?;
    let mut target = Target::new(handle.url.clone(), mock::DEFAULT_TOKEN);
    target.token_env = contract.token_env.clone();
    target.fixtures = fixtures;
    Ok((handle, target))
}

/// The mock's configuration for a run (also what `--dry-run` plans against).
pub fn config(contract: &'static Contract) -> MockConfig {
    MockConfig::for_contract(contract)
}
