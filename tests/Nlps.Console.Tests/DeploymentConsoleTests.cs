using Nlps.Console.Tests.Support;
using Nlps.Testing.Models;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

/// <summary>The models page's deployment controls against an nlpsd serving a tiny model on the CPU engine.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class DeploymentConsoleTests(Chromium chromium) : IAsyncLifetime
{
    private const string Operator = "배포담당";
    private readonly TinyModel model = TinyModel.Create(TinyModelSpec.Llama3);
    private ConsoleAppliance appliance = null!;

    public async Task InitializeAsync()
    {
        appliance = await ConsoleAppliance.StartWithModelAsync(model.Folder, "tiny-llama", "assistant");
        appliance.CreateAccount(Operator);
    }

    public async Task DisposeAsync()
    {
        await appliance.DisposeAsync();
        model.Dispose();
    }

    [Fact]
    public async Task An_operator_loads_pins_unpins_and_unloads_a_deployment_and_each_step_is_audited()
    {
        var page = await chromium.NewPageAsync(appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, Operator);
        await page.GetByTestId("nav-models").ClickAsync();
        var row = page.Locator("tr[data-deployment='assistant']");
        await Expect(row.GetByTestId("deployment-state")).ToHaveTextAsync("내려짐");
        await Expect(row.GetByTestId("deployment-engine-state")).ToHaveTextAsync("정지");

        await row.GetByTestId("deployment-load").ClickAsync();
        await Expect(row.GetByTestId("deployment-state")).ToHaveTextAsync("적재됨");
        await Expect(row.GetByTestId("deployment-engine")).ToContainTextAsync("내장 CPU");
        await Expect(row.GetByTestId("deployment-engine-state")).ToHaveTextAsync("준비됨");
        await row.GetByTestId("deployment-pin").ClickAsync();
        await Expect(row.GetByTestId("deployment-pinned")).ToHaveTextAsync("고정됨");
        await Expect(row.GetByTestId("deployment-unload")).ToHaveCountAsync(0);
        await ConsolePages.ScreenshotAsync(page, "deployments-pinned");

        await row.GetByTestId("deployment-unpin").ClickAsync();
        await row.GetByTestId("deployment-unload").ClickAsync();
        await Expect(row.GetByTestId("deployment-state")).ToHaveTextAsync("내려짐");

        foreach (string action in new[] { "deployment.load", "deployment.pin", "deployment.unpin", "deployment.unload" })
        {
            var audited = Assert.Single(await appliance.AuditAsync(action));
            Assert.Equal(("admin:" + Operator, "Ok"), (audited.GetProperty("actor").GetString(), audited.GetProperty("result").GetString()));
        }
    }
}
