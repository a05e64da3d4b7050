using Nlps.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class FirstRunTests(Chromium chromium)
{
    [Fact]
    public async Task First_start_creates_the_first_administrator_and_shows_the_Korean_dashboard_with_simulated_GPUs()
    {
        await using var appliance = await ConsoleAppliance.StartAsync();
        var page = await chromium.NewPageAsync(appliance.BaseAddress);

        await page.GotoAsync("/console");
        await Expect(page.GetByTestId("setup-form")).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
        await page.GetByTestId("username").FillAsync("관리자");
        await page.GetByTestId("password").FillAsync(ConsoleAppliance.Password);
        await page.GetByTestId("password-confirm").FillAsync(ConsoleAppliance.Password);
        await page.GetByTestId("signin-submit").ClickAsync();

        await Expect(page.GetByTestId("nav-dashboard")).ToHaveTextAsync("대시보드");
        await Expect(page.GetByTestId("nav-account")).ToHaveTextAsync("관리자");
        await Expect(page.GetByTestId("simulated-badge")).ToHaveTextAsync("시뮬레이션");
        await Expect(page.GetByTestId("gpu")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("gpu").First).ToContainTextAsync("L40S");
        await Expect(page.GetByTestId("plugin-table-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("status")).ToContainTextAsync("nlpsd");
        await ConsolePages.ScreenshotAsync(page, "dashboard-ko");
        Assert.Empty(chromium.PageErrors[page]);

        // The form is for the first account only: another browser now gets the login form.
        var second = await chromium.NewPageAsync(appliance.BaseAddress);
        await second.GotoAsync("/console/");
        await Expect(second.GetByTestId("login-form")).ToBeVisibleAsync();

        var setup = Assert.Single(await appliance.AuditAsync("account.setup"));
        Assert.Equal("admin:관리자", setup.GetProperty("actor").GetString());
        Assert.Equal("Ok", setup.GetProperty("result").GetString());
    }
}
