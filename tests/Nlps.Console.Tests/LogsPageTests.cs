using Nlps.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class LogsPageTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    [Fact]
    public async Task The_logs_page_shows_nlpsd_s_own_lines_and_filters_them_by_level_and_text()
    {
        var page = await chromium.NewPageAsync(fixture.Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);

        await page.GetByTestId("nav-logs").ClickAsync();
        await Expect(page.GetByTestId("log-row").First).ToBeVisibleAsync();
        await page.GetByTestId("logs-contains").FillAsync("Now listening on");
        await page.GetByTestId("logs-apply").ClickAsync();
        var rows = page.GetByTestId("log-row");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync(fixture.Appliance.BaseAddress.ToString().TrimEnd('/'));
        await Expect(rows).ToContainTextAsync("정보");

        await page.GetByTestId("logs-level").SelectOptionAsync("Critical");
        await Expect(page.GetByTestId("logs-table-empty")).ToHaveTextAsync("조건에 맞는 로그가 없습니다.");
    }
}
