using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.Logs;

public sealed partial class AdminLogApiTests
{
    [Fact]
    public async Task Recent_lines_are_served_in_korean_filtered_by_level_and_followed_by_id_and_trace_never_kept()
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();
        var logger = appliance.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Nlps.Test.Operator");
        DiskLow(logger, 1024);
        Prompt(logger);
        JobFailed(logger, new InvalidOperationException("boom"));

        var warnings = await TestAppliance.ReadJsonAsync(await client.GetAsync("/v1/admin/logs?level=warning&contains=Nlps.Test"));
        var lines = warnings.EnumerateArray().ToArray();
        Assert.Equal(["디스크 공간이 부족합니다: 1024 bytes", "작업 실패"], lines.Select(l => l.GetProperty("message").GetString()));
        Assert.Equal("System.InvalidOperationException: boom", lines[1].GetProperty("exception").GetString());
        Assert.Equal("Warning", lines[0].GetProperty("level").GetString());

        var after = lines[0].GetProperty("id").GetInt64();
        var followed = await TestAppliance.ReadJsonAsync(await client.GetAsync($"/v1/admin/logs?after={after}&level=Error&contains=Nlps.Test"));
        Assert.Equal(["작업 실패"], followed.EnumerateArray().Select(l => l.GetProperty("message").GetString()));

        var everything = await client.GetStringAsync("/v1/admin/logs?level=Debug&limit=1000");
        Assert.DoesNotContain("비밀 프롬프트", everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("level=Trace", "invalid_level")]
    [InlineData("level=loud", "invalid_level")]
    [InlineData("limit=0", "invalid_range")]
    [InlineData("after=-1", "invalid_range")]
    public async Task Bad_query_values_are_400_with_a_code(string query, string code)
    {
        await using var appliance = new TestAppliance();
        using var client = appliance.CreateAdminClient();

        using var response = await client.GetAsync($"/v1/admin/logs?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await TestAppliance.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "디스크 공간이 부족합니다: {Free} bytes")]
    private static partial void DiskLow(ILogger logger, long free);

    [LoggerMessage(Level = LogLevel.Trace, Message = "비밀 프롬프트")]
    private static partial void Prompt(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "작업 실패")]
    private static partial void JobFailed(ILogger logger, Exception exception);
}
