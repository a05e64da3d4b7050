using Nlps.Console.Tests.Support;
using Nlps.Testing;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class PlaygroundTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    private ConsoleAppliance Appliance => fixture.Appliance;

    [Fact]
    public async Task A_streaming_operation_runs_from_a_form_built_from_its_schema_and_shows_every_item()
    {
        await Appliance.InstallAsync(await Appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: "test.playground")));
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);

        await page.GetByTestId("nav-playground").ClickAsync();
        await page.GetByTestId("playground-agent").SelectOptionAsync("test.playground");
        await page.GetByTestId("playground-operation").SelectOptionAsync("count");
        await Expect(page.GetByTestId("field-to")).ToHaveAttributeAsync("type", "number");
        await page.GetByTestId("field-to").FillAsync("4");
        await page.GetByTestId("playground-run").ClickAsync();

        await Expect(page.GetByTestId("notice-ok")).ToHaveTextAsync("스트림 완료: 4개 항목");
        await Expect(page.GetByTestId("playground-item")).ToHaveTextAsync(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"]);
        await ConsolePages.ScreenshotAsync(page, "playground-stream");
    }

    [Fact]
    public async Task A_request_response_operation_shows_its_korean_answer_and_a_bad_field_is_refused_before_sending()
    {
        await Appliance.InstallAsync(await Appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: "test.playground2")));
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GotoAsync("/console/#/playground?agent=test.playground2");

        await page.GetByTestId("playground-operation").SelectOptionAsync("echo");
        await page.GetByTestId("field-text").FillAsync("금융실명제는 1993년에 도입되었다.");
        await page.GetByTestId("playground-run").ClickAsync();
        await Expect(page.GetByTestId("playground-output")).ToContainTextAsync("\"text\": \"금융실명제는 1993년에 도입되었다.\"");

        await page.GetByTestId("playground-operation").SelectOptionAsync("count");
        await page.GetByTestId("field-to").FillAsync(string.Empty);
        await page.GetByTestId("playground-run").ClickAsync();
        await Expect(page.GetByTestId("notice-error")).ToContainTextAsync("to 항목에는 숫자를 입력하세요.");
    }
}
