//! Waiters, emitted into their operation's module: `Client::wait_until_*`, the waiter builder
//! (the operation's input members, delays) and one function that classifies a response by the
//! acceptors, with each JMESPath path compiled to accessor code.

use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote, ToTokens};

use super::structures::setters;
use super::{doc_attrs, ident, Cx};
use crate::ir::{OperationIr, Presence};
use crate::jmespath::{CompareOp, Conv, Literal, Node, Ty, Typed};
use crate::waiters::{AcceptorState, Comparator, MatcherIr, WaiterIr};

pub(crate) fn waiters(cx: &Cx, op: &OperationIr) -> TokenStream {
    let waiters = cx.krate.waiters.iter().filter(|w| w.operation == op.name);
    let waiters = waiters.map(|w| waiter(cx, op, w));
    quote!(#(#waiters)*)
}

fn waiter(cx: &Cx, op: &OperationIr, w: &WaiterIr) -> TokenStream {
    let waiter = ident(&w.waiter);
    let method = ident(&w.method);
    let input_name = ident(&op.input.name);
    let input_builder = ident(&op.input.builder);
    let output_name = ident(&op.output.name);
    let error_name = ident(&op.error_name);
    let classify = format_ident!("{}_acceptor", w.method.trim_start_matches("wait_until_"));
    let name = &w.name;
    let (min_delay, max_delay) = (w.min_delay, w.max_delay);
    let method_docs = doc_attrs(
        w.docs.as_deref(),
        &format!("Waits until the `{name}` condition of `{}` holds.", op.name),
    );
    let deprecated = w.deprecated.then(|| quote!(#[deprecated]));
    let setters = op.input.members.iter().map(|m| {
        let field = ident(&m.field);
        setters(cx, m, quote!(self.input.#field))
    });
    let build = if op.input.has_required() {
        quote!(self
            .input
            .build()
            .map_err(::aws_thin_runtime::waiter::WaiterError::Construction)?)
    } else {
        quote!(self.input.build())
    };
    let uses_input = w.acceptors.iter().any(|a| {
        matches!(
            a.matcher,
            MatcherIr::Path {
                input_output: true,
                ..
            }
        )
    });
    let input_param = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let checks = w.acceptors.iter().map(|a| {
        let state = match a.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let description = &a.description;
        let condition = matcher(&a.matcher);
        quote! {
            if #condition {
                return Some(::aws_thin_runtime::waiter::Matched {
                    state: ::aws_thin_runtime::waiter::AcceptorState::#state,
                    acceptor: #description,
                });
            }
        }
    });
    let waiter_doc = format!(
        " Polls `{}` until the `{name}` condition holds; from [`Client::{}`](crate::client::Client::{}).",
        op.name, w.method, w.method
    );
    let wait_doc = format!(
        " Polls until an acceptor of `{name}` moves the waiter to success (returning that response) or failure, or `max_wait` passes."
    );
    let min_doc = format!(" The shortest delay between two polls ({min_delay} s unless set).");
    let max_doc = format!(" The longest delay between two polls ({max_delay} s unless set).");
    let classify_doc = format!(" The first acceptor of `{name}` that matches a response.");
    quote! {
        impl crate::client::Client {
            #method_docs
            ///
            /// Set the input members on the returned waiter, then call `wait(max_wait)`.
            #deprecated
            pub fn #method(&self) -> #waiter {
                #waiter {
                    client: self.service_client().clone(),
                    input: #input_builder::default(),
                    min_delay: ::std::time::Duration::from_secs(#min_delay),
                    max_delay: ::std::time::Duration::from_secs(#max_delay),
                }
            }
        }

        #[doc = #waiter_doc]
        #[derive(Clone, Debug)]
        pub struct #waiter {
            client: ::aws_thin_runtime::ServiceClient,
            input: #input_builder,
            min_delay: ::std::time::Duration,
            max_delay: ::std::time::Duration,
        }

        impl #waiter {
            #(#setters)*

            #[doc = #min_doc]
            pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.min_delay = delay;
                self
            }

            #[doc = #max_doc]
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.max_delay = delay;
                self
            }

            #[doc = #wait_doc]
            ///
            /// Delays between polls grow exponentially from the minimum to the maximum delay, with
            /// jitter (Smithy's waiter backoff). A response that no acceptor matches is a retry when
            /// it succeeded and ends the wait with the error when it failed.
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> Result<
                ::aws_thin_runtime::waiter::FinalPoll<#output_name, #error_name>,
                ::aws_thin_runtime::waiter::WaiterError<#output_name, #error_name>,
            > {
                let input = #build;
                let config = ::aws_thin_runtime::waiter::WaiterConfig {
                    name: #name,
                    min_delay: self.min_delay,
                    max_delay: self.max_delay,
                    max_wait,
                };
                let client = self.client;
                ::aws_thin_runtime::waiter::wait(
                    &config,
                    || input.send(&client),
                    |result| #classify(&input, result),
                )
                .await
            }
        }

        #[doc = #classify_doc]
        fn #classify(
            #input_param: &#input_name,
            result: &Result<#output_name, ::aws_thin_runtime::SdkError<#error_name>>,
        ) -> Option<::aws_thin_runtime::waiter::Matched> {
            #(#checks)*
            None
        }
    }
}

fn matcher(m: &MatcherIr) -> TokenStream {
    match m {
        MatcherIr::Success(true) => quote!(result.is_ok()),
        MatcherIr::Success(false) => quote!(result.is_err()),
        MatcherIr::ErrorType(code) => quote! {
            matches!(result, Err(::aws_thin_runtime::SdkError::Service(error)) if error.code() == Some(#code))
        },
        MatcherIr::Path {
            path, comparator, ..
        } => {
            let value = expr(path);
            let compare = match comparator {
                Comparator::StringEquals(s) => quote!(value == Some(#s)),
                Comparator::BooleanEquals(b) => quote!(value == Some(#b)),
                Comparator::AllStringEquals(s) => {
                    quote!(value.is_some_and(|list| !list.is_empty() && list.iter().all(|item| *item == #s)))
                }
                Comparator::AnyStringEquals(s) => {
                    quote!(value.is_some_and(|list| list.contains(&#s)))
                }
            };
            quote! {
                result.as_ref().is_ok_and(|output| {
                    let value = #value;
                    #compare
                })
            }
        }
    }
}

/// Whether a value of the type is `Copy` in its accessor form (`&str`, `f64`, `bool`, `&T`).
fn is_copy(ty: &Ty) -> bool {
    !matches!(ty, Ty::List(_))
}

/// The variable holding a value that is known to be there (the root, or a bound element).
fn variable(node: &Node) -> Option<TokenStream> {
    match node {
        Node::Root | Node::Output => Some(quote!(output)),
        Node::Input => Some(quote!(input)),
        Node::Element(depth) => Some(element(*depth).into_token_stream()),
        _ => None,
    }
}

fn element(depth: usize) -> proc_macro2::Ident {
    format_ident!("e{depth}")
}

/// Rust code for a typed expression: an `Option` of its accessor form (`None` is JMESPath's null).
fn expr(t: &Typed) -> TokenStream {
    match &t.node {
        Node::Root | Node::Input | Node::Output => {
            let var = variable(&t.node).expect("roots are variables");
            quote!(Some(#var))
        }
        Node::Element(depth) => {
            let var = element(*depth);
            if is_copy(&t.ty) {
                quote!(Some(#var))
            } else {
                quote!(Some(#var.clone()))
            }
        }
        Node::Field {
            of,
            field,
            presence,
            boxed,
            conv,
        } => {
            let field = ident(field);
            let optional = *presence == Presence::Optional;
            // `Option<&T>` for a base `v`, converted to the accessor form.
            let access = |v: TokenStream| match (optional, boxed, conv) {
                (true, false, Conv::Str) => quote!(#v.#field.as_deref()),
                (true, true, _) => {
                    let adapt = adapter(conv);
                    quote!(#v.#field.as_deref()#adapt)
                }
                (true, false, _) => {
                    let adapt = adapter(conv);
                    quote!(#v.#field.as_ref()#adapt)
                }
                (false, true, _) => {
                    let adapt = adapter(conv);
                    quote!(Some(&*#v.#field)#adapt)
                }
                (false, false, _) => {
                    let adapt = adapter(conv);
                    quote!(Some(&#v.#field)#adapt)
                }
            };
            match variable(&of.node) {
                Some(var) => access(var),
                None => {
                    let of = expr(of);
                    let inner = access(quote!(v));
                    quote!(#of.and_then(|v| #inner))
                }
            }
        }
        Node::Index { of, index } => {
            let of = expr(of);
            if *index == 0 {
                quote!(#of.and_then(|list| list.into_iter().next()))
            } else if *index > 0 {
                let index = Lit::usize_unsuffixed(*index as usize);
                quote!(#of.and_then(|list| list.into_iter().nth(#index)))
            } else {
                let back = Lit::usize_unsuffixed(index.unsigned_abs() as usize);
                quote!(#of.and_then(|list| {
                    let at = list.len().checked_sub(#back)?;
                    list.into_iter().nth(at)
                }))
            }
        }
        Node::Project { of, depth, each } => {
            let of_code = expr(of);
            let var = element(*depth);
            let each = expr(each);
            quote!(#of_code.map(|list| list.into_iter().filter_map(|#var| #each).collect::<Vec<_>>()))
        }
        Node::Flatten(of) => {
            let of = expr(of);
            quote!(#of.map(|list| list.into_iter().flatten().collect::<Vec<_>>()))
        }
        Node::Filter {
            of,
            depth,
            cond,
            each,
        } => {
            let of_code = expr(of);
            let var = element(*depth);
            let item_ty = match &of.ty {
                Ty::List(item) => (**item).clone(),
                _ => unreachable!("checked: filters apply to lists"),
            };
            let pattern = if is_copy(&item_ty) {
                quote!(&#var)
            } else {
                quote!(#var)
            };
            let keep = truthy(&expr(cond), &cond.ty);
            let map = if each.node == Node::Element(*depth) {
                quote!()
            } else {
                let each = expr(each);
                quote!(.filter_map(|#var| #each))
            };
            quote!(#of_code.map(|list| list.into_iter().filter(|#pattern| #keep)#map.collect::<Vec<_>>()))
        }
        Node::Compare(op, a, b) => {
            if a.ty == Ty::Null || b.ty == Ty::Null {
                let other = if a.ty == Ty::Null { b } else { a };
                let other = expr(other);
                let test = match op {
                    CompareOp::Eq => quote!(is_none),
                    _ => quote!(is_some),
                };
                return quote!(Some(#other.#test()));
            }
            let (a, b) = (expr(a), expr(b));
            match op {
                CompareOp::Eq => quote!(Some(#a == #b)),
                CompareOp::Ne => quote!(Some(#a != #b)),
                ordering => {
                    let op = match ordering {
                        CompareOp::Lt => quote!(<),
                        CompareOp::Le => quote!(<=),
                        CompareOp::Gt => quote!(>),
                        _ => quote!(>=),
                    };
                    quote!(match (#a, #b) {
                        (Some(a), Some(b)) => Some(a #op b),
                        _ => None,
                    })
                }
            }
        }
        Node::And(a, b) | Node::Or(a, b) => {
            let test = truthy(&quote!(left), &a.ty);
            let (a, b) = (expr(a), expr(b));
            if matches!(t.node, Node::And(..)) {
                quote!({
                    let left = #a;
                    if #test { #b } else { left }
                })
            } else {
                quote!({
                    let left = #a;
                    if #test { left } else { #b }
                })
            }
        }
        Node::Not(a) => {
            let test = truthy(&expr(a), &a.ty);
            quote!(Some(!#test))
        }
        Node::Literal(literal) => match literal {
            Literal::Str(s) => quote!(Some(#s)),
            Literal::Num(n) => {
                let n = Lit::f64_suffixed(*n);
                quote!(Some(#n))
            }
            Literal::Bool(b) => quote!(Some(#b)),
            Literal::Null => quote!(None::<()>),
        },
        Node::Length(a) => {
            let len = match a.ty {
                Ty::Str => quote!(value.chars().count()),
                _ => quote!(value.len()),
            };
            let a = expr(a);
            quote!(#a.map(|value| #len as f64))
        }
        Node::Contains(subject, search) => {
            let (s, x) = (expr(subject), expr(search));
            let test = match subject.ty {
                Ty::Str => quote!(subject.contains(search)),
                _ => quote!(subject.contains(&search)),
            };
            quote!(match (#s, #x) {
                (Some(subject), Some(search)) => Some(#test),
                (Some(_), None) => Some(false),
                (None, _) => None,
            })
        }
    }
}

/// Method calls that turn an `Option<&T>` of the member's type into its accessor form.
fn adapter(conv: &Conv) -> TokenStream {
    match conv {
        Conv::Str | Conv::Enum => quote!(.map(|x| x.as_str())),
        Conv::Int => quote!(.map(|x| *x as f64)),
        Conv::F32 => quote!(.map(|x| f64::from(*x))),
        Conv::F64 | Conv::Bool => quote!(.copied()),
        Conv::Struct => quote!(),
        Conv::List { item, sparse } => {
            let flatten = if *sparse {
                quote!(.flatten())
            } else {
                quote!()
            };
            let item = adapter(item);
            quote!(.map(|x| x.iter()#flatten #item.collect::<Vec<_>>()))
        }
    }
}

/// JMESPath truthiness of an `Option` value: null, false, "" and [] are false.
fn truthy(value: &TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Str => quote!(#value.is_some_and(|s| !s.is_empty())),
        Ty::Bool => quote!(matches!(#value, Some(true))),
        Ty::List(_) => quote!(#value.as_ref().is_some_and(|l| !l.is_empty())),
        Ty::Null => quote!(false),
        Ty::Num | Ty::Struct(_) | Ty::InputOutput => quote!(#value.is_some()),
    }
}
