//! The Rust method name of every operation: the snake_case of its `operationId` in any
//! spelling (`get-flights`, `Payments_List`, `orders.list`), or of method and path when it has
//! none (`GET /health` → `get_health`). Names that collide after conversion get `_2`, `_3`, …
//! in document order, with a warning; the `operationId` itself is kept for docs and cases.

use super::names::snake;
use super::operations::OperationIr;
use crate::diagnostics::Diagnostic;
use crate::spec::{Spec, child};

/// The name an operation would get on its own.
pub fn base_name(operation_id: Option<&str>, method: &str, path: &str) -> String {
    match operation_id {
        Some(id) => snake(id),
        None => snake(&format!("{} {path}", method.to_ascii_lowercase())),
    }
}

/// Makes every operation's `name` unique, warning about each one renamed.
pub fn deduplicate(spec: &Spec, operations: &mut [OperationIr], warnings: &mut Vec<Diagnostic>) {
    let mut taken: Vec<String> = Vec::new();
    for op in operations.iter_mut() {
        let base = op.name.clone();
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        if name != base {
            let at = match &op.operation_id {
                Some(_) => child(&op.pointer, &["operationId"]),
                None => op.pointer.clone(),
            };
            warnings.push(
                spec.diag(
                    &at,
                    format!(
                        "operation `{}` would be named `{base}` like an earlier one: named `{name}`",
                        op.id
                    ),
                )
                .hint("give the operations operationIds that differ after snake_case conversion")
                .warning(),
            );
        }
        taken.push(name.clone());
        op.name = name;
    }
}

#[cfg(test)]
mod tests {
    use super::base_name;

    #[test]
    fn any_spelling_becomes_snake_case() {
        assert_eq!(base_name(Some("get-flights"), "GET", "/f"), "get_flights");
        assert_eq!(base_name(Some("Payments_List"), "GET", "/f"), "payments_list");
        assert_eq!(base_name(Some("orders.list"), "GET", "/f"), "orders_list");
        assert_eq!(
            base_name(Some("resendOrderPaymentLink"), "POST", "/f"),
            "resend_order_payment_link"
        );
        assert_eq!(base_name(None, "GET", "/health"), "get_health");
        assert_eq!(
            base_name(None, "DELETE", "/flights/{flightNumber}"),
            "delete_flights_flight_number"
        );
    }
}
