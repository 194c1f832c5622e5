//! Query, header and cookie parameters, paired by name and location: one added as required,
//! one removed, or one made required is breaking (the method's arguments or the request
//! builder's setters change); one added as optional, or made optional, is not. Schemas are
//! compared as request data. Path parameters are compared by position in the caller.

use super::schema::{Flow, SchemaDiff};
use super::{Change, Diff};
use crate::ir::OperationIr;
use crate::ir::params::{Location, ParamIr};

pub fn compare(d: &mut Diff, o: &OperationIr, n: &OperationIr) {
    let id = &n.id;
    let others = |op: &OperationIr| -> Vec<ParamIr> {
        op.params
            .iter()
            .filter(|p| p.location != Location::Path)
            .cloned()
            .collect()
    };
    let (old, new) = (others(o), others(n));
    let find = |list: &[ParamIr], p: &ParamIr| {
        list.iter()
            .find(|q| q.name == p.name && q.location == p.location)
            .cloned()
    };
    for b in &new {
        let what = format!("{} parameter `{}`", b.location.as_str(), b.name);
        match find(&old, b) {
            None => d.push(Change::new(
                &b.pointer,
                b.required,
                "parameter-added",
                format!(
                    "`{id}`: {what} added, {}",
                    if b.required { "required" } else { "optional" }
                ),
            )),
            Some(a) => {
                if a.required != b.required {
                    d.push(Change::new(
                        &b.pointer,
                        b.required,
                        "parameter-required",
                        format!(
                            "`{id}`: {what} made {}",
                            if b.required { "required" } else { "optional" }
                        ),
                    ));
                }
                SchemaDiff::new(d).compare(&a.schema_pointer, &b.schema_pointer, Flow::Request);
            }
        }
    }
    for a in &old {
        if find(&new, a).is_none() {
            // Located at the new operation's list (the old index may hold another parameter now).
            d.push(Change::new(
                &crate::spec::child(&n.pointer, &["parameters"]),
                true,
                "parameter-removed",
                format!("`{id}`: {} parameter `{}` removed", a.location.as_str(), a.name),
            ));
        }
    }
}
