//! The canned answer the benchmarks serve: a DeleteRepository 200 as AWS sends it.

/// The request id of [`delete_repository_response`].
pub const REQUEST_ID: &str = "b4a4ae53-4a8b-4b3e-8d3c-1e0b7a5f2c11";

/// The body AWS answers a DeleteRepository with (the deleted repository), as recorded from the
/// service, with a fractional `createdAt` (1700000000.123).
pub const DELETE_REPOSITORY_BODY: &str = concat!(
    r#"{"repository":{"createdAt":1.700000000123E9,"#,
    r#""encryptionConfiguration":{"encryptionType":"AES256"},"#,
    r#""imageScanningConfiguration":{"scanOnPush":false},"#,
    r#""imageTagMutability":"MUTABLE","registryId":"123456789012","#,
    r#""repositoryArn":"arn:aws:ecr:us-west-2:123456789012:repository/ubuntu","#,
    r#""repositoryName":"ubuntu","#,
    r#""repositoryUri":"123456789012.dkr.ecr.us-west-2.amazonaws.com/ubuntu"}}"#
);

/// The whole response, head and body: 200, the request id, awsJson 1.1, a `Date`.
pub fn delete_repository_response() -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\n\
         x-amzn-RequestId: {REQUEST_ID}\r\n\
         Content-Type: application/x-amz-json-1.1\r\n\
         Content-Length: {}\r\n\
         Date: Thu, 27 Nov 2025 12:00:00 GMT\r\n\
         \r\n\
         {DELETE_REPOSITORY_BODY}",
        DELETE_REPOSITORY_BODY.len()
    )
    .into_bytes()
}
