//! `x-replay`: how the conformance suite reproduces a documented response example.
//!
//! Every response example carries one, so no case list is ever written by hand:
//!
//! ```yaml
//! x-replay:
//!   state: paid                  # the resource state in which the example is the answer
//!   request: emailOnly           # a request-body example to send (or a list: one case each)
//!   # body: {email: null}        # ...or a literal body to send as is (must break the request schema)
//!   # samples: invalid           # also replay every file of spec/samples/invalid/ with this expectation
//!   # auth: [none, wrong]        # send without a token / with a wrong one (one case each)
//!   # alsoAccept: [403]          # other statuses that also pass the status check
//!   match:                       # every top-level field of the example: exact, or by schema only
//!     status_code: exact
//!     errors: schema
//! ```

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The state a resource must be in for an example to be the expected answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceState {
    Open,
    Paid,
    Cancelled,
    Completed,
    /// An identifier the server does not know.
    Missing,
    /// An identifier on which the server fails (510).
    Failing,
    /// An open resource, asked for without valid credentials.
    Unauthenticated,
}

impl ResourceState {
    pub const ALL: [ResourceState; 7] = [
        ResourceState::Open,
        ResourceState::Paid,
        ResourceState::Cancelled,
        ResourceState::Completed,
        ResourceState::Missing,
        ResourceState::Failing,
        ResourceState::Unauthenticated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceState::Open => "open",
            ResourceState::Paid => "paid",
            ResourceState::Cancelled => "cancelled",
            ResourceState::Completed => "completed",
            ResourceState::Missing => "missing",
            ResourceState::Failing => "failing",
            ResourceState::Unauthenticated => "unauthenticated",
        }
    }

    /// The fixture whose identifier a case in this state uses (an unauthenticated call targets
    /// an open resource, so that only the credentials can make it fail).
    pub fn fixture(self) -> ResourceState {
        match self {
            ResourceState::Unauthenticated => ResourceState::Open,
            s => s,
        }
    }
}

/// How a field of the expected body is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    /// Must equal the documented value.
    Exact,
    /// Only has to validate against the response schema.
    Schema,
}

/// Which credentials a case sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// No `Authorization` header at all.
    None,
    /// A bearer token that cannot be valid.
    Wrong,
}

/// One or several request-example names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn names(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Sample folders a plan may replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleSet {
    /// `samples/invalid/`: request bodies that break the request schema.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplayPlan {
    pub state: ResourceState,
    pub request: Option<OneOrMany>,
    pub body: Option<serde_json::Value>,
    pub samples: Option<SampleSet>,
    #[serde(default)]
    pub auth: Vec<Auth>,
    #[serde(default)]
    pub also_accept: Vec<u16>,
    #[serde(rename = "match")]
    pub fields: IndexMap<String, Match>,
}

impl ReplayPlan {
    /// The request-example names this plan sends (empty when it sends a literal body).
    pub fn request_names(&self) -> Vec<&str> {
        self.request.as_ref().map(OneOrMany::names).unwrap_or_default()
    }

    /// JSON pointers (`/field`) of the fields that must equal the example.
    pub fn exact_pointers(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(_, m)| **m == Match::Exact)
            .map(|(k, _)| format!("/{}", super::pointer::escape(k)))
            .collect()
    }
}
