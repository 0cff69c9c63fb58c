//! Paginators, emitted into their operation's module: `into_paginator()` on the fluent builder,
//! the paginator (page size), the page stream and, with `items`, the item stream.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Cx};
use crate::ir::{OperationIr, Presence, RustType};
use crate::paginators::{PaginatorIr, Step};

pub(crate) fn paginator(cx: &Cx, op: &OperationIr) -> TokenStream {
    let Some(p) = cx.krate.paginators.iter().find(|p| p.operation == op.name) else {
        return TokenStream::new();
    };
    let fluent = ident(&op.fluent_builder);
    let paginator = ident(&p.paginator);
    let pages = ident(&p.pages);
    let input_name = ident(&op.input.name);
    let input_builder = ident(&op.input.builder);
    let output_name = ident(&op.output.name);
    let error_name = ident(&op.error_name);
    let wire_name = &op.name;
    let input_token = ident(&p.input_token.field);
    let output_token = read_path(quote!(output), &p.output_token);
    let build = if op.input.has_required() {
        quote!(self.input.build())
    } else {
        quote!(Ok(self.input.build()))
    };
    let page_size = p.page_size.as_ref().map(|(step, ty)| {
        let field = ident(&step.field);
        let ty = cx.ty(ty);
        quote! {
            /// How many results to ask for per page (the service may return fewer).
            pub fn page_size(mut self, size: #ty) -> Self {
                self.input.#field = Some(size);
                self
            }
        }
    });
    let paginator_doc = format!(
        " Pages through `{wire_name}` results, following `{}` from page to page; from [`{}::into_paginator`].",
        p.input_token_name, op.fluent_builder
    );
    let into_doc = format!(
        " Pages through every result instead of sending one request: see [`{}`].",
        p.paginator
    );
    let pages_doc = format!(
        " The pages of a `{wire_name}` paginator: call [`next`](Self::next) until it returns `None`."
    );
    let send_doc = format!(
        " Starts paging: each [`next`]({}::next) sends one request and returns its page.",
        p.pages
    );
    let items = items(cx, p, &pages, &error_name);
    let items_fn = items.as_ref().map(|(_, stream, name)| {
        let doc = format!(" Every `{name}` element of every page, one at a time.");
        quote! {
            #[doc = #doc]
            pub fn items(self) -> #stream {
                #stream { pages: self.send(), buffer: Vec::new().into_iter() }
            }
        }
    });
    let items_decl = items.map(|(decl, _, _)| decl);
    quote! {
        impl #fluent {
            #[doc = #into_doc]
            pub fn into_paginator(self) -> #paginator {
                #paginator { client: self.client, input: self.input }
            }
        }

        #[doc = #paginator_doc]
        ///
        /// The paginator stops after a page without a token (or with an empty one), and stops with
        /// an error when the service answers with the token it was sent, which would otherwise
        /// request the same page forever.
        #[derive(Clone, Debug)]
        pub struct #paginator {
            client: ::aws_thin_runtime::ServiceClient,
            input: #input_builder,
        }

        impl #paginator {
            #page_size

            #[doc = #send_doc]
            pub fn send(self) -> #pages {
                #pages { client: self.client, next: Some(#build) }
            }

            #items_fn
        }

        #[doc = #pages_doc]
        #[derive(Debug)]
        pub struct #pages {
            client: ::aws_thin_runtime::ServiceClient,
            /// The next request's input; `None` after the last page or an error.
            next: Option<Result<#input_name, ::aws_thin_runtime::BuildError>>,
        }

        impl #pages {
            /// Sends the next request and returns its page; `None` when there are no more pages.
            /// After an error, the next call returns `None`.
            pub async fn next(&mut self) -> Option<Result<#output_name, ::aws_thin_runtime::SdkError<#error_name>>> {
                let mut input = match self.next.take()? {
                    Ok(input) => input,
                    Err(error) => return Some(Err(::aws_thin_runtime::SdkError::Construction(error))),
                };
                let output = match input.send(&self.client).await {
                    Ok(output) => output,
                    Err(error) => return Some(Err(error)),
                };
                match ::aws_thin_runtime::paginate::next_token(input.#input_token.as_ref(), #output_token) {
                    ::aws_thin_runtime::paginate::NextPage::Continue(token) => {
                        input.#input_token = Some(token);
                        self.next = Some(Ok(input));
                    }
                    ::aws_thin_runtime::paginate::NextPage::Done => {}
                    ::aws_thin_runtime::paginate::NextPage::Repeated(_) => {
                        return Some(Err(::aws_thin_runtime::SdkError::Response(
                            ::aws_thin_runtime::paginate::repeated_token_error(#wire_name, output.request_id),
                        )));
                    }
                }
                Some(Ok(output))
            }
        }

        #items_decl
    }
}

/// The item stream's declaration, its name, and the items member's model name.
fn items(
    cx: &Cx,
    p: &PaginatorIr,
    pages: &proc_macro2::Ident,
    error_name: &proc_macro2::Ident,
) -> Option<(TokenStream, proc_macro2::Ident, String)> {
    let (steps, ty) = p.items.as_ref()?;
    let name = p.items_name.clone().unwrap_or_default();
    let stream = ident(&p.items_stream);
    let (item, collect) = match ty {
        RustType::List { item, sparse } => (cx.elem_ty(item, *sparse), quote!()),
        RustType::Map { value, sparse } => {
            let value = cx.elem_ty(value, *sparse);
            (
                quote!((String, #value)),
                quote!(.collect::<Vec<_>>().into_iter()),
            )
        }
        _ => unreachable!("paginators() checks that items is a list or a map"),
    };
    let take = take_path(steps);
    let doc = format!(
        " The `{name}` elements of a `{}` paginator's pages: call [`next`](Self::next) until it returns `None`.",
        p.operation
    );
    let decl = quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #stream {
            pages: #pages,
            buffer: ::std::vec::IntoIter<#item>,
        }

        impl #stream {
            /// The next element, requesting the next page when this one is used up; `None` after
            /// the last. An error ends the stream after it is returned.
            pub async fn next(&mut self) -> Option<Result<#item, ::aws_thin_runtime::SdkError<#error_name>>> {
                loop {
                    if let Some(item) = self.buffer.next() {
                        return Some(Ok(item));
                    }
                    match self.pages.next().await? {
                        Ok(mut page) => self.buffer = #take.into_iter()#collect,
                        Err(error) => return Some(Err(error)),
                    }
                }
            }
        }
    };
    Some((decl, stream, name))
}

/// `Option<&T>` of the member at the end of `steps`, starting from the variable `root`.
fn read_path(root: TokenStream, steps: &[Step]) -> TokenStream {
    let mut code = TokenStream::new();
    for (i, step) in steps.iter().enumerate() {
        let field = ident(&step.field);
        let (base, chained) = if i == 0 {
            (root.clone(), false)
        } else {
            (quote!(v), true)
        };
        let access = match (step.presence, step.boxed) {
            (Presence::Optional, false) => quote!(#base.#field.as_ref()),
            (Presence::Optional, true) => quote!(#base.#field.as_deref()),
            (_, false) => quote!(&#base.#field),
            (_, true) => quote!(&*#base.#field),
        };
        code = match (chained, step.presence) {
            (false, Presence::Optional) => access,
            (false, _) => quote!(Some(#access)),
            (true, Presence::Optional) => quote!(#code.and_then(|v| #access)),
            (true, _) => quote!(#code.map(|v| #access)),
        };
    }
    code
}

/// The items member moved out of `page` (its default when absent).
fn take_path(steps: &[Step]) -> TokenStream {
    let last = steps.len() - 1;
    if last == 0 {
        let field = ident(&steps[0].field);
        return match steps[0].presence {
            Presence::Optional => quote!(page.#field.take().unwrap_or_default()),
            _ => quote!(::std::mem::take(&mut page.#field)),
        };
    }
    let mut code = TokenStream::new();
    for (i, step) in steps.iter().enumerate() {
        let field = ident(&step.field);
        let base = if i == 0 { quote!(page) } else { quote!(v) };
        let access = match (i == last, step.presence, step.boxed) {
            (true, Presence::Optional, _) => quote!(#base.#field.take()),
            (true, _, _) => quote!(::std::mem::take(&mut #base.#field)),
            (false, Presence::Optional, false) => quote!(#base.#field.as_mut()),
            (false, Presence::Optional, true) => quote!(#base.#field.as_deref_mut()),
            (false, _, false) => quote!(&mut #base.#field),
            (false, _, true) => quote!(&mut *#base.#field),
        };
        code = match (i, step.presence) {
            (0, Presence::Optional) => access,
            (0, _) => quote!(Some(#access)),
            (_, Presence::Optional) => quote!(#code.and_then(|v| #access)),
            (_, _) => quote!(#code.map(|v| #access)),
        };
    }
    quote!(#code.unwrap_or_default())
}
