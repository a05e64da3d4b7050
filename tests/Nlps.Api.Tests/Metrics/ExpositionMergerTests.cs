using Nlps.Api.Metrics.Exposition;

namespace Nlps.Api.Tests.Metrics;

public sealed class ExpositionMergerTests
{
    private const string Own = """
        # HELP process_cpu_seconds_total User and system CPU time of nlpsd.
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 12.5

        """;

    private const string Vllm = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="llama-8b"} 3.0
        # HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
        # TYPE vllm:e2e_request_latency_seconds histogram
        vllm:e2e_request_latency_seconds_bucket{engine="0",le="0.3",model_name="llama-8b"} 1.0
        vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="llama-8b"} 2.0
        vllm:e2e_request_latency_seconds_count{engine="0",model_name="llama-8b"} 2.0
        vllm:e2e_request_latency_seconds_sum{engine="0",model_name="llama-8b"} 0.9
        # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 301.2

        """;

    [Fact]
    public void Engine_samples_get_a_deployment_label_and_shared_families_are_written_once_with_all_their_samples()
    {
        string merged = ExpositionMerger.Merge(Own, [("llama-8b", Vllm), ("qwen-7b", Vllm.Replace("llama-8b", "qwen-7b", StringComparison.Ordinal))]);

        Assert.Equal(
            """
            # HELP process_cpu_seconds_total User and system CPU time of nlpsd.
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total 12.5
            process_cpu_seconds_total{deployment="llama-8b"} 301.2
            process_cpu_seconds_total{deployment="qwen-7b"} 301.2
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{deployment="llama-8b",engine="0",model_name="llama-8b"} 3.0
            vllm:num_requests_running{deployment="qwen-7b",engine="0",model_name="qwen-7b"} 3.0
            # HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
            # TYPE vllm:e2e_request_latency_seconds histogram
            vllm:e2e_request_latency_seconds_bucket{deployment="llama-8b",engine="0",le="0.3",model_name="llama-8b"} 1.0
            vllm:e2e_request_latency_seconds_bucket{deployment="llama-8b",engine="0",le="+Inf",model_name="llama-8b"} 2.0
            vllm:e2e_request_latency_seconds_count{deployment="llama-8b",engine="0",model_name="llama-8b"} 2.0
            vllm:e2e_request_latency_seconds_sum{deployment="llama-8b",engine="0",model_name="llama-8b"} 0.9
            vllm:e2e_request_latency_seconds_bucket{deployment="qwen-7b",engine="0",le="0.3",model_name="qwen-7b"} 1.0
            vllm:e2e_request_latency_seconds_bucket{deployment="qwen-7b",engine="0",le="+Inf",model_name="qwen-7b"} 2.0
            vllm:e2e_request_latency_seconds_count{deployment="qwen-7b",engine="0",model_name="qwen-7b"} 2.0
            vllm:e2e_request_latency_seconds_sum{deployment="qwen-7b",engine="0",model_name="qwen-7b"} 0.9

            """,
            merged);
        ExpositionChecks.AssertWellFormed(merged);
    }

    [Fact]
    public void An_engines_own_deployment_label_is_kept_as_exported_deployment()
    {
        const string engine = "# TYPE nlps_chat_completions_total counter\nnlps_chat_completions_total{deployment=\"tiny\",outcome=\"stop\"} 4\nup{} 1\n";

        string merged = ExpositionMerger.Merge(string.Empty, [("gpu-chat", engine)]);

        Assert.Equal(
            "# TYPE nlps_chat_completions_total counter\nnlps_chat_completions_total{deployment=\"gpu-chat\",exported_deployment=\"tiny\",outcome=\"stop\"} 4\nup{deployment=\"gpu-chat\"} 1\n",
            merged);
    }
}
