//! Reading an error's code, message and request id without matching on its type, the way the
//! official SDK's `ProvideErrorMetadata` does, and turning any [`SdkError`] into the operation's
//! error type ([`SdkError::into_service_error`]).

use crate::error::{ErrorMetadata, SdkError, ServiceErrorResponse};
use std::convert::Infallible;
use std::error::Error;

/// Metadata of a non-service failure: nothing is known.
static EMPTY: ErrorMetadata = ErrorMetadata::new(None, None, None, None);

/// An error that carries the service's code, message and request id.
///
/// Implemented by [`SdkError`], [`ServiceErrorResponse`], every generated operation error enum
/// and every modeled error structure.
///
/// To react to an error code the model does not list (yet), compare [`code`](Self::code)
/// rather than matching an operation error's `Unhandled` variant: a later model can turn that
/// code into a variant of its own, and a match on `Unhandled` would then silently stop matching,
/// while `code()` keeps answering the same.
pub trait ProvideErrorMetadata {
    /// Code, message, HTTP status and request id (all `None` for a failure that is not a
    /// service error, such as a timeout).
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, such as `RepositoryNotFoundException`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The message the service sent.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    /// The request id the service assigned (quote it when contacting AWS support).
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

/// Builds an operation error's `Unhandled` variant from a failure that is not a service error
/// (a timeout, a refused connection, ...), for [`SdkError::into_service_error`].
///
/// Implemented by generated operation error enums.
pub trait CreateUnhandledError {
    /// Wraps `source`; `meta` has no code, and the status and request id when known.
    fn create_unhandled_error(
        source: Box<dyn Error + Send + Sync + 'static>,
        meta: ErrorMetadata,
    ) -> Self;
}

impl ProvideErrorMetadata for ServiceErrorResponse {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl<E: ProvideErrorMetadata> ProvideErrorMetadata for SdkError<E> {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::Service(e) => e.meta(),
            _ => &EMPTY,
        }
    }

    fn request_id(&self) -> Option<&str> {
        SdkError::request_id(self)
    }
}

impl<E> SdkError<E> {
    /// The service error, if the service answered with one (the official SDK's name for
    /// [`as_service`](Self::as_service)).
    pub fn as_service_error(&self) -> Option<&E> {
        self.as_service()
    }

    /// The operation's error type for any failure: the service error as it is, anything else
    /// (a timeout, a refused connection, ...) wrapped in its `Unhandled` variant, whose
    /// `Display` is this error's and whose `code()` is `None`.
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError,
    {
        match self.split_service() {
            Ok(service) => service,
            Err(other) => {
                let status = match &other {
                    SdkError::Response(e) => Some(e.status()),
                    SdkError::Transport(e) => e.status(),
                    _ => None,
                };
                let request_id = other.request_id().map(str::to_owned);
                let meta = ErrorMetadata::new(None, None, status, request_id);
                E::create_unhandled_error(Box::new(other), meta)
            }
        }
    }

    /// The service error, or every other failure as an `SdkError` without one.
    fn split_service(self) -> Result<E, SdkError<Infallible>> {
        Err(match self {
            SdkError::Service(e) => return Ok(e),
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Timeout(e) => SdkError::Timeout(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Blocking(e) => SdkError::Blocking(e),
        })
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The service's error code, such as `RepositoryNotFoundException`; `None` when the failure
    /// is not a service error. Prefer comparing this to matching an `Unhandled` variant (see
    /// [`ProvideErrorMetadata`]).
    pub fn code(&self) -> Option<&str> {
        ProvideErrorMetadata::code(self)
    }

    /// The service's error message; `None` when the failure is not a service error.
    pub fn message(&self) -> Option<&str> {
        ProvideErrorMetadata::message(self)
    }

    /// The request id, from a service error or from any response that carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::Response(e) => e.request_id(),
            SdkError::Transport(e) => e.request_id(),
            _ => None,
        }
    }
}

impl ProvideErrorMetadata for Infallible {
    fn meta(&self) -> &ErrorMetadata {
        match *self {}
    }
}

#[cfg(test)]
mod tests {
    use crate::http_client::HttpError;
    use crate::provider::SourceError;
    use std::error::Error;

    /// Errors that print their cause chain in `Display` must not also return it from `source()`,
    /// or an error reporter (anyhow's `{:#}`) prints every cause twice.
    #[test]
    fn errors_that_print_their_cause_do_not_return_it() {
        let io = || std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let errors: Vec<Box<dyn Error>> = vec![
            Box::new(HttpError::before_response("connecting", io())),
            Box::new(SourceError::failed_with("reading the token file", io())),
            Box::new(crate::error::TransportError::new("connecting", io())),
            Box::new(crate::error::CredentialsError::provider(io())),
        ];
        for error in errors {
            assert!(error.to_string().contains("refused"), "{error}");
            assert!(error.source().is_none(), "{error}");
        }
    }
}
