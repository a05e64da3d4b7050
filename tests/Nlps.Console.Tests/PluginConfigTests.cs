using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Console.Tests.Support;
using Nlps.Testing;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class PluginConfigTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    private ConsoleAppliance Appliance => fixture.Appliance;

    [Fact]
    public async Task An_edited_value_is_checked_against_the_schema_inline_then_saved_and_the_restarted_agent_uses_it()
    {
        await Appliance.InstallAsync(await Appliance.Packages.BuildAsync(
            TestPlugins.EchoProject,
            TestPlugins.Echo(id: "test.config") with { ConfigSchema = TestPlugins.EchoConfigSchema }));
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        var row = page.Locator("tr[data-plugin='test.config']");
        await row.GetByTestId("plugin-configure").ClickAsync();
        var editor = page.GetByTestId("plugin-config");
        await Expect(editor).ToContainTextAsync("기본값: \"hello\"");

        await editor.GetByTestId("field-greeting").FillAsync("반갑습니다");
        await editor.GetByTestId("field-repeat").FillAsync("9");
        await editor.GetByTestId("config-save").ClickAsync();
        await Expect(editor.GetByTestId("config-error-repeat")).ToHaveTextAsync("$.repeat: 5 이하여야 합니다");
        await Expect(editor.GetByTestId("notice-error")).ToContainTextAsync("스키마에 맞지 않는 값");
        Assert.Equal("hello", await GreetingAsync());

        await editor.GetByTestId("field-repeat").FillAsync("2");
        await editor.GetByTestId("config-save").ClickAsync();
        await Expect(editor.GetByTestId("config-plugin-state")).ToHaveTextAsync("실행 중");
        await Expect(editor.GetByTestId("config-error-repeat")).ToHaveCountAsync(0);
        await Expect(row.GetByTestId("plugin-state")).ToHaveTextAsync("실행 중");
        await ConsolePages.ScreenshotAsync(page, "plugin-config");

        Assert.Equal("반갑습니다", await GreetingAsync());
        var audit = await Appliance.AuditAsync("plugin.config");
        Assert.Equal(["Ok", "Refused"], audit.Where(a => a.GetProperty("target").GetString() == "test.config").Select(a => a.GetProperty("result").GetString()));

        // Opened again, the editor shows the saved configuration.
        await row.GetByTestId("plugin-configure").ClickAsync();
        await Expect(page.GetByTestId("plugin-config").GetByTestId("field-greeting")).ToHaveValueAsync("반갑습니다");
    }

    private async Task<string?> GreetingAsync()
    {
        using var admin = Appliance.Process.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/v1/agents/test.config/echo", new { text = "x" });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("greeting").GetString();
    }
}
