using Nlps.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

/// <summary>The what-if planner form on the models page, planning on the recorded 4× L40S box.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class PlannerFormTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    [Fact]
    public async Task A_70B_model_is_split_over_four_L40S_and_one_that_cannot_fit_is_refused_with_its_shortfall_per_GPU_and_what_to_change()
    {
        string config = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "configs", "llama-3.1-70b-instruct.json"));
        var page = await chromium.NewPageAsync(fixture.Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GetByTestId("nav-models").ClickAsync();

        await page.GetByTestId("plan-id").FillAsync("llama70b");
        await page.GetByTestId("plan-config").FillAsync(config);
        await page.GetByTestId("plan-context").FillAsync("8192");
        await page.GetByTestId("plan-sequences").FillAsync("4");
        await page.GetByTestId("plan-add").ClickAsync();

        var placed = page.Locator("[data-testid='plan-outcome'][data-deployment='llama70b']");
        await Expect(placed).ToHaveAttributeAsync("data-result", "placed");
        await Expect(placed.GetByTestId("plan-placement")).ToContainTextAsync("텐서 병렬 4");

        // Alone on the box (the first one taken out of the plan again), a longer context with more sequences does not fit.
        await page.GetByTestId("plan-remove").ClickAsync();
        await Expect(page.GetByTestId("plan-outcome")).ToHaveCountAsync(0);
        await page.GetByTestId("plan-id").FillAsync("too-much");
        await page.GetByTestId("plan-context").FillAsync("32768");
        await page.GetByTestId("plan-sequences").FillAsync("16");
        await page.GetByTestId("plan-add").ClickAsync();

        var refused = page.Locator("[data-testid='plan-outcome'][data-deployment='too-much']");
        await Expect(refused).ToHaveAttributeAsync("data-result", "refused");
        await Expect(refused).ToContainTextAsync("gpu0: 76.9 GiB 필요, 44.4 GiB 사용 가능 (32.5 GiB 부족)");
        await Expect(refused.GetByTestId("plan-suggestions")).ToContainTextAsync("해결 방법: set max context to 6176");
        await ConsolePages.ScreenshotAsync(page, "planner");
    }

    [Fact]
    public async Task A_config_that_is_not_json_is_refused_in_the_page_before_anything_is_sent()
    {
        var page = await chromium.NewPageAsync(fixture.Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GotoAsync("/console/#/models");

        await page.GetByTestId("plan-id").FillAsync("broken");
        await page.GetByTestId("plan-config").FillAsync("{ model_type: llama");
        await page.GetByTestId("plan-add").ClickAsync();

        await Expect(page.GetByTestId("notice-error")).ToContainTextAsync("config.json을 읽을 수 없습니다");
        await Expect(page.GetByTestId("plan-outcome")).ToHaveCountAsync(0);
    }
}
