using Nlps.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class TrafficTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    private ConsoleAppliance Appliance => fixture.Appliance;

    [Fact]
    public async Task The_dashboard_shows_recent_requests_and_latency_and_refreshes_as_more_arrive()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        var traffic = page.GetByTestId("traffic");
        await Expect(traffic.GetByTestId("traffic-requests")).ToHaveTextAsync("0");
        await Expect(traffic.GetByTestId("traffic-p50")).ToHaveTextAsync("–");

        await CallAgentListAsync(4);
        await Expect(traffic.GetByTestId("traffic-requests")).ToHaveTextAsync("4", new() { Timeout = 30_000 });
        await Expect(traffic.GetByTestId("traffic-p50")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d.,]+ ms$"));
        await Expect(traffic.GetByTestId("traffic-p95")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d.,]+ ms$"));
        await Expect(traffic.GetByTestId("traffic-errors")).ToHaveTextAsync("0");

        await CallAgentListAsync(2);
        await Expect(traffic.GetByTestId("traffic-requests")).ToHaveTextAsync("6", new() { Timeout = 30_000 });
        await Expect(traffic.GetByTestId("traffic-rate")).ToHaveTextAsync("0.1");
        await ConsolePages.ScreenshotAsync(page, "dashboard-traffic");
    }

    private async Task CallAgentListAsync(int times)
    {
        using var admin = Appliance.Process.CreateAdminClient();
        for (var i = 0; i < times; i++)
        {
            using var response = await admin.GetAsync("/v1/agents");
            response.EnsureSuccessStatusCode();
        }
    }
}
