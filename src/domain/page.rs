//! Graph list answers, one page at a time: `{"data": [...], "paging": {"cursors": {"after"},
//! "next"}}` (`platform-rules.md` §7.5). Every list the crate reads (businesses, WABAs, phone
//! numbers, templates) goes through [`parse_page`] and [`next_page`].

use crate::domain::error::Error;
use crate::domain::graph::{parse_doc, parse_failure};
use crate::domain::json::Json;
use crate::domain::request::{ApiRequest, ApiResponse};
use crate::domain::url::set_query_param;

/// One page of a Graph list and the cursor of the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// `paging.cursors.after` when `paging.next` says there is more.
    pub after: Option<String>,
}

/// Reads one page of a list answer, each item with `item` (given the item and its index in
/// `data`). An answer without a `data` array is an [`Error::Parse`]. The next page is requested
/// with the `after` cursor on the original URL ([`next_page`]), never by following `paging.next`,
/// so the token never goes to another host. Read with the crate's borrowed JSON reader: no owned
/// copy of the answer.
pub(crate) fn parse_page<T>(
    resp: &ApiResponse,
    mut item: impl FnMut(Json<'_>, usize) -> Result<T, Error>,
) -> Result<Page<T>, Error> {
    let mut data = Vec::new();
    let after = read_page(resp, &mut |v, i| {
        data.push(item(v, i)?);
        Ok(())
    })?;
    Ok(Page { data, after })
}

/// [`parse_page`] without its item type (one copy in the binary): calls `each` on every item
/// and returns the `after` cursor.
fn read_page(
    resp: &ApiResponse,
    each: &mut dyn FnMut(Json<'_>, usize) -> Result<(), Error>,
) -> Result<Option<String>, Error> {
    let doc = parse_doc(resp)?;
    let root = doc.root();
    let Some(items) = root.get("data").and_then(Json::as_array) else {
        return Err(parse_failure(
            resp,
            "data",
            "a list answer has no data array",
        ));
    };
    for (i, v) in items.iter().enumerate() {
        each(v, i)?;
    }
    Ok(root
        .get("paging")
        .filter(|p| p.get("next").is_some_and(|n| n.is_string()))
        .and_then(|p| p.get("cursors"))
        .and_then(|c| c.get("after"))
        .and_then(Json::as_str)
        .filter(|a| !a.is_empty())
        .map(str::to_owned))
}

/// The request for the page after `cursor`.
pub fn next_page(req: &ApiRequest, cursor: &str) -> ApiRequest {
    ApiRequest {
        url: set_query_param(&req.url, "after", cursor),
        ..req.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(body: &str) -> Result<Page<String>, Error> {
        parse_page(&ApiResponse::of(200, body), |v, i| {
            v.get("id")
                .and_then(Json::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::invalid(format!("data[{i}]"), "no_id", "no id"))
        })
    }

    #[test]
    fn the_after_cursor_counts_only_when_next_says_there_is_more() {
        let p = ids(r#"{"data":[{"id":"1"},{"id":"2"}],"paging":{"cursors":{"before":"a","after":"b"},"next":"https://graph.facebook.com/x?after=b"}}"#).unwrap();
        assert_eq!(p.data, ["1", "2"]);
        assert_eq!(p.after.as_deref(), Some("b"));
        let last = ids(r#"{"data":[],"paging":{"cursors":{"after":"b"}}}"#).unwrap();
        assert_eq!((last.data.len(), last.after), (0, None));
        let empty_cursor =
            ids(r#"{"data":[],"paging":{"cursors":{"after":""},"next":"https://x"}}"#).unwrap();
        assert_eq!(empty_cursor.after, None);
        let next_not_a_string =
            ids(r#"{"data":[],"paging":{"cursors":{"after":"b"},"next":true}}"#).unwrap();
        assert_eq!(next_not_a_string.after, None);
    }

    #[test]
    fn a_page_without_data_an_item_error_and_a_graph_error_are_errors() {
        let no_data = ids(r#"{"paging":{}}"#).unwrap_err();
        assert!(matches!(&no_data, Error::Parse { path, .. } if path == "data"));
        let item = ids(r#"{"data":[{"id":"1"},{}]}"#).unwrap_err();
        assert!(matches!(&item, Error::Validation { issues } if issues[0].path == "data[1]"));
        let graph = parse_page(
            &ApiResponse::of(400, r#"{"error":{"code":100,"message":"m"}}"#),
            |_, _| Ok(()),
        )
        .unwrap_err();
        assert_eq!(graph.code(), "100");
    }

    #[test]
    fn the_next_page_keeps_the_request_and_sets_after() {
        let req = ApiRequest::get("http://e/v25.0/1/message_templates?limit=100&after=a".into());
        let next = next_page(&req, "b c");
        assert_eq!(
            next.url,
            "http://e/v25.0/1/message_templates?limit=100&after=b%20c"
        );
        assert_eq!((next.method, next.body), (req.method, req.body));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(status in 0u16..600, body in ".{0,200}") {
            let _ = parse_page(&ApiResponse::of(status, &body), |v, _| Ok(v.is_object()));
        }
    }
}
