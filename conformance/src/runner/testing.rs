//! Support for the generated per-case tests (`tests/suite.rs`): one session per test binary,
//! against the embedded mock, or against the target of `CONFORMANCE_PROFILE` when set.

use std::sync::{Arc, OnceLock};

use super::{Options, Session, Target};
use crate::cases;
use crate::contract::Contract;
use crate::profile::Profile;
use crate::report::Outcome;

struct Harness {
    runtime: tokio::runtime::Runtime,
    session: Arc<Session>,
    // Keeps the embedded mock's handle alive for the whole test binary.
    _mock: Option<crate::mock::MockHandle>,
}

fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the conformance tests");
        let (mock, target) = runtime.block_on(async {
            match std::env::var_os("CONFORMANCE_PROFILE") {
                Some(path) => (None, profile_target(std::path::Path::new(&path))),
                None => {
                    let (h, t) = super::embedded::start(Contract::embedded())
                        .await
                        .unwrap_or_else(|e| panic!("cannot start the embedded mock: {e:#}"));
                    (Some(h), t)
                }
            }
        });
        let session = runtime
            .block_on(Session::open(target, Options::default()))
            .unwrap_or_else(|e| panic!("{e}"));
        Harness {
            runtime,
            session,
            _mock: mock,
        }
    })
}

fn profile_target(path: &std::path::Path) -> Target {
    let profile = Profile::load(path, Contract::embedded()).unwrap_or_else(|e| panic!("{e}"));
    let token = std::env::var(profile.token_env()).unwrap_or_default();
    let mut probe = Target::new(profile.base_url.clone(), "");
    if let Err(e) = probe.resolve(&super::target::SystemResolver) {
        panic!("CONFORMANCE_PROFILE: {e}");
    }
    if !probe.is_loopback() {
        panic!(
            "CONFORMANCE_PROFILE names {}, which is not on this machine; tests never send live messages. Use `conformance run --profile {} --allow-live`.",
            profile.base_url,
            path.display()
        );
    }
    let token = if token.is_empty() {
        crate::mock::DEFAULT_TOKEN.to_string()
    } else {
        token
    };
    let mut target = Target::from_profile(&profile, token);
    target.addrs = probe.addrs;
    target
}

/// Runs the case `id`; panics with the report of its failures. A skipped case (its fixture
/// absent from the profile) passes and says why on stderr.
pub fn check_case(id: &str) {
    let case = cases::find(id).unwrap_or_else(|| panic!("no case `{id}` in the generated table"));
    let h = harness();
    let report = h.runtime.block_on(h.session.run(&[case]));
    let result = &report.cases[0];
    match result.outcome {
        Outcome::Passed => {}
        Outcome::Skipped => eprintln!("skipped {id}: {}", result.reason.as_deref().unwrap_or("")),
        Outcome::Failed => panic!("{}", crate::report::human::render(&report, false)),
    }
}
