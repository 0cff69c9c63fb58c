//! Support for generated paginators: what the token of a page means for the next request.
//!
//! A paginator sends its input, reads the output token of the page, and asks [`next_token`] what
//! to do: send again with the new token, stop (no token, or an empty one), or fail because the
//! service answered with the token it was just sent (it would loop forever otherwise).

use crate::error::ResponseError;

/// What follows a page, given the token sent for it and the token it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage<T> {
    /// Request the next page with this token.
    Continue(T),
    /// This was the last page: the service sent no token, or an empty one.
    Done,
    /// The service answered with the token it was sent: stop with an error instead of looping.
    Repeated(T),
}

/// A pagination token: strings are the usual kind; the empty string means "no more pages".
pub trait Token: Clone + PartialEq {
    /// Whether the token says there are no more pages.
    fn is_end(&self) -> bool;
}

impl Token for String {
    fn is_end(&self) -> bool {
        self.is_empty()
    }
}

/// Decides what follows a page that was requested with `sent` and answered with `received`.
pub fn next_token<T: Token>(sent: Option<&T>, received: Option<&T>) -> NextPage<T> {
    match received {
        None => NextPage::Done,
        Some(token) if token.is_end() => NextPage::Done,
        Some(token) if Some(token) == sent => NextPage::Repeated(token.clone()),
        Some(token) => NextPage::Continue(token.clone()),
    }
}

/// The error a paginator returns when the service repeats the token it was sent.
pub fn repeated_token_error(operation: &str, request_id: Option<String>) -> ResponseError {
    ResponseError::new(
        200,
        request_id,
        format!(
            "{operation} answered with the same pagination token it was sent; stopping the paginator instead of requesting the same page forever"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn a_new_token_continues() {
        assert_eq!(next_token(None, Some(&s("a"))), NextPage::Continue(s("a")));
        assert_eq!(
            next_token(Some(&s("a")), Some(&s("b"))),
            NextPage::Continue(s("b"))
        );
    }

    #[test]
    fn no_token_or_an_empty_token_ends() {
        assert_eq!(next_token::<String>(Some(&s("a")), None), NextPage::Done);
        assert_eq!(next_token(Some(&s("a")), Some(&s(""))), NextPage::Done);
        assert_eq!(next_token(None, Some(&s(""))), NextPage::Done);
    }

    #[test]
    fn the_same_token_again_is_an_error() {
        assert_eq!(
            next_token(Some(&s("a")), Some(&s("a"))),
            NextPage::Repeated(s("a"))
        );
        let error = repeated_token_error("ListImages", Some(s("req-1")));
        assert!(error.to_string().contains("ListImages"), "{error}");
        assert_eq!(error.request_id(), Some("req-1"));
    }
}
