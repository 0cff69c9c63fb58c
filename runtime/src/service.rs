//! What the runtime needs to know about a service, from its Smithy model.

/// What the runtime needs to know about a service, from its Smithy model.
///
/// Generated code defines one as a `static`.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The service shape's name, the `X-Amz-Target` prefix
    /// (`AmazonEC2ContainerRegistry_V20150921`).
    pub service_name: &'static str,
    /// The SigV4 signing name (`ecr`).
    pub signing_name: &'static str,
    /// The first labels of the AWS host name (`api.ecr`).
    pub endpoint_prefix: &'static str,
    /// The suffix of the endpoint variable `AWS_ENDPOINT_URL_<ID>` (`ECR`).
    pub env_service_id: &'static str,
    /// The awsJson version: `1.0` or `1.1`.
    pub json_version: &'static str,
    /// The JSON text of the model's `smithy.rules#endpointRuleSet` trait.
    /// [`ServiceClient::new`](crate::ServiceClient::new) evaluates it once, with the region, FIPS and dual-stack settings and any custom endpoint.
    /// `None`: `https://{endpoint_prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in `cn-`
    /// regions) or the custom endpoint, and no FIPS or dual-stack.
    pub endpoint_rules: Option<&'static str>,
}
