//! The requests the clients generated from `codegen/tests/fixtures/features/` put on the
//! wire, against a local wiremock server: path, query string, headers and cookies, exactly
//! as OpenAPI's style table writes them. Compiled and run by `codegen/tests/params_wire.rs`
//! in a scratch crate where each fixture's client is a module.

use generated_features::{header_cookie, names, openapi_3_0, query, styles};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server(status: u16, body: Option<serde_json::Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut answer = ResponseTemplate::new(status);
    if let Some(b) = body {
        answer = answer.set_body_json(b);
    }
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

/// The last request the server received.
async fn last(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .unwrap()
        .pop()
        .expect("a request arrived")
}

fn target(r: &Request) -> String {
    match r.url.query() {
        Some(q) => format!("{}?{q}", r.url.path()),
        None => r.url.path().to_string(),
    }
}

fn header<'r>(r: &'r Request, name: &str) -> Option<&'r str> {
    r.headers.get(name).map(|v| v.to_str().unwrap())
}

macro_rules! client {
    ($module:ident, $server:expr) => {
        $module::client::Client::builder()
            .base_url($server.uri())
            .build()
            .unwrap()
    };
}

#[tokio::test]
async fn query_parameters_in_form_style() {
    use query::types::{Genre, Shelf};
    let server = server(200, None).await;
    let c = client!(query, server);

    c.list_books(3).await.unwrap();
    assert_eq!(target(&last(&server).await), "/books?limit=3");

    c.list_books(3)
        .author("Ibsen & Co")
        .tags(vec!["old".to_string(), "blue cover".to_string()])
        .ids(vec![7, 8])
        .shelf(Shelf { room: "A".into(), row: 2 })
        .near(Shelf { room: "B".into(), row: 5 })
        .next("/p?x=1&y")
        .available(false)
        .where_(Shelf { room: "C".into(), row: 1 })
        .genre(Genre::Crime)
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/books?limit=3&author=Ibsen%20%26%20Co&tags=old&tags=blue%20cover&ids=7,8&room=A&row=2\
         &near=room,B,row,5&next=/p?x=1&y&available=false\
         &where=%7B%22room%22%3A%22C%22%2C%22row%22%3A1%7D&genre=crime"
    );

    // A path-level parameter the operation makes required is an argument.
    c.room_books("reading room", 2).await.unwrap();
    assert_eq!(target(&last(&server).await), "/rooms/reading%20room/books?page=2");
}

#[tokio::test]
async fn path_parameters_in_simple_label_and_matrix_styles() {
    use styles::types::Spot;
    let server = server(204, None).await;
    let c = client!(styles, server);
    let colours = vec!["red".to_string(), "dark green".to_string()];
    let (a, b) = (Spot { x: 1, y: 2 }, Spot { x: 3, y: 4 });

    c.simple_path("a/b", &colours, &a, &b).await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/simple/a%2Fb/red,dark%20green/x,1,y,2/x=3,y=4"
    );
    c.label_path("a", &colours, &a, &b).await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/label/.a/.red.dark%20green/.x.1.y.2/.x=3.y=4"
    );
    c.matrix_path("a", &colours, &colours, &a, &b).await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/matrix/;name=a/;colours=red,dark%20green/;coloursx=red;coloursx=dark%20green/;spot=x,1,y,2/;x=3;y=4"
    );
    c.templated_path(&a, &b).await.unwrap();
    assert_eq!(target(&last(&server).await), "/templated/x=1,y=2/;x=3;y=4");
}

#[tokio::test]
async fn query_parameters_in_delimited_and_deep_object_styles() {
    use styles::types::Spot;
    let server = server(204, None).await;
    let c = client!(styles, server);
    let colours = vec!["red".to_string(), "blue".to_string()];

    c.delimited_query()
        .words(colours.clone())
        .codes(colours.clone())
        .corner(Spot { x: 1, y: 2 })
        .many(colours)
        .filter(Spot { x: 5, y: 6 })
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/delimited?words=red%20blue&codes=red|blue&corner=x|1|y|2&many=red&many=blue&filter[x]=5&filter[y]=6"
    );
    c.delimited_query().send().await.unwrap();
    assert_eq!(target(&last(&server).await), "/delimited");
}

#[tokio::test]
async fn header_and_cookie_parameters() {
    use header_cookie::types::{PlaceOrderBody, Spot};
    let server = server(201, None).await;
    let c = client!(header_cookie, server);
    let body = PlaceOrderBody { item: "tea".into() };

    c.place_order("key-1", "s 1", &body).await.unwrap();
    let r = last(&server).await;
    assert_eq!(header(&r, "idempotency-key"), Some("key-1"));
    assert_eq!(header(&r, "cookie"), Some("session=s%201"));
    assert_eq!(header(&r, "x-trace-ids"), None);
    assert_eq!(header(&r, "authorization"), None);
    assert_eq!(header(&r, "accept"), Some("application/json"));
    assert_eq!(r.body_json::<serde_json::Value>().unwrap(), serde_json::json!({"item": "tea"}));

    c.place_order("key-2", "s1", &body)
        .x_trace_ids(vec![1, 2])
        .x_spot(Spot { x: 1, y: 2 })
        .x_filter(Spot { x: 7, y: 8 })
        .shelves(vec![3, 4])
        .spot(Spot { x: 5, y: 6 })
        .await
        .unwrap();
    let r = last(&server).await;
    assert_eq!(header(&r, "x-trace-ids"), Some("1,2"));
    assert_eq!(header(&r, "x-spot"), Some("x=1,y=2"));
    assert_eq!(header(&r, "x-filter"), Some(r#"{"x":7,"y":8}"#));
    assert_eq!(header(&r, "cookie"), Some("session=s1; shelves=3,4; x=5; y=6"));
}

#[tokio::test]
async fn a_header_http_cannot_carry_is_an_error_and_nothing_is_sent() {
    use header_cookie::client::{Error, PlaceOrderError};
    let server = server(201, None).await;
    let c = client!(header_cookie, server);
    let body = header_cookie::types::PlaceOrderBody { item: "tea".into() };
    let err = c.place_order("two\nlines", "s1", &body).await.unwrap_err();
    assert!(
        matches!(&err, PlaceOrderError::Other(Error::Parameter { name, .. }) if name == "Idempotency-Key"),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn operation_and_parameter_names() {
    let server = server(204, None).await;
    let c = client!(names, server);
    c.get_flights().await.unwrap();
    c.payments_list().await.unwrap();
    c.orders_list().await.unwrap();
    c.get_health().await.unwrap();
    c.list_tickets().await.unwrap();
    c.list_tickets_2().await.unwrap();
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, target(r)))
        .collect();
    assert_eq!(
        paths,
        [
            "GET /flights",
            "GET /payments",
            "GET /orders",
            "GET /health",
            "GET /tickets",
            "GET /tickets/all"
        ]
    );

    let body = std::collections::BTreeMap::new();
    c.put_thing("p1", "q 1", "t", &body)
        .body_query("b")
        .idempotency_key("k")
        .await
        .unwrap();
    let r = last(&server).await;
    assert_eq!(target(&r), "/things/p1?id=q%201&type=t&body=b");
    assert_eq!(header(&r, "idempotency-key"), Some("k"));
}

#[tokio::test]
async fn an_openapi_3_0_document_gives_a_working_client() {
    let server = server(200, Some(serde_json::json!([{"celsius": -3.5}]))).await;
    let c = client!(openapi_3_0, server);
    let readings = c.station_readings("OSL").hours(6).await.unwrap();
    assert_eq!(readings.body()[0].celsius, -3.5);
    assert_eq!(target(&last(&server).await), "/stations/OSL/readings?hours=6");
}
