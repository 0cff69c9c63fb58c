use aws_thin_runtime::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
static ECR: ServiceMeta = ServiceMeta {
    service_name: "AmazonEC2ContainerRegistry_V20150921",
    signing_name: "ecr",
    endpoint_prefix: "api.ecr",
    env_service_id: "ECR",
    json_version: "1.1",
};
const RESP: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: 2f6e0a9c-8f7b-4c5e-9d7a-0c1e2b3a4d5e\r\ncontent-length: 235\r\n\r\n{\"repository\":{\"createdAt\":1.479495000123E9,\"registryId\":\"123456789012\",\"repositoryArn\":\"arn:aws:ecr:us-west-2:123456789012:repository/ubuntu\",\"repositoryName\":\"ubuntu\",\"repositoryUri\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/ubuntu\"}}";
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if args[1] == "server" {
        rt.block_on(async {
            let l = tokio::net::TcpListener::bind("127.0.0.1:7878")
                .await
                .unwrap();
            loop {
                let (mut s, _) = l.accept().await.unwrap();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    loop {
                        let n = match s.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        buf.extend_from_slice(&chunk[..n]);
                        while let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = std::str::from_utf8(&buf[..p]).unwrap().to_ascii_lowercase();
                            let len: usize = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .map(|v| v.trim().parse().unwrap())
                                .unwrap_or(0);
                            if buf.len() < p + 4 + len {
                                break;
                            }
                            buf.drain(..p + 4 + len);
                            s.write_all(RESP).await.unwrap();
                        }
                    }
                });
            }
        });
    } else {
        let n: usize = args[2].parse().unwrap();
        let config = Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "x",
            ))
            .endpoint_url("http://127.0.0.1:7878")
            .build();
        let client = ServiceClient::new(config, &ECR).unwrap();
        rt.block_on(async {
            client
                .invoke("DeleteRepository", b"{}".to_vec())
                .await
                .unwrap();
            let t = std::time::Instant::now();
            for _ in 0..n {
                let body = br#"{"repositoryName":"ubuntu","force":true}"#.to_vec();
                let r = client.invoke("DeleteRepository", body).await.unwrap();
                std::hint::black_box(r);
            }
            eprintln!("{:?} per call", t.elapsed() / n.max(1) as u32);
        });
    }
}
