using System.Net.Http.Json;
using Nlps.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

/// <summary>The keyword-graph page drawing what the real keyword graph agent built from Korean customs documents.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class KeywordGraphPageTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    [Fact]
    public async Task The_graph_around_a_keyword_is_drawn_and_clicking_a_node_recentres_on_it()
    {
        var appliance = fixture.Appliance;
        await appliance.InstallFirstPartyOnceAsync("Nlps.Agents.KeywordGraph");
        using (var admin = appliance.Process.CreateAdminClient())
        {
            using var ingested = await admin.PostAsJsonAsync("/v1/agents/nlps.keyword-graph/ingest", new
            {
                documents = new[]
                {
                    new { id = "customs-1", text = "관세청은 수입물품의 원산지를 확인한다.\n\n원산지 증명서는 자유무역협정 세율 적용에 필요하다." },
                    new { id = "customs-2", text = "자유무역협정에 따라 관세가 감면된다.\n\n관세 감면을 받으려면 원산지 증명서를 제출해야 한다." },
                    new { id = "customs-3", text = "수입신고는 관세청에 전자로 한다.\n\n수입신고 후 관세를 납부한다." },
                },
            });
            ingested.EnsureSuccessStatusCode();
        }

        var page = await chromium.NewPageAsync(appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GetByTestId("nav-graph").ClickAsync();
        await page.GetByTestId("graph-keyword").FillAsync("관세청");
        await page.GetByTestId("graph-show").ClickAsync();

        var picture = page.GetByTestId("graph-picture").Locator("svg");
        await Expect(picture).ToHaveAttributeAsync("data-center", "관세청");
        Assert.True(await page.GetByTestId("graph-node").CountAsync() > 2);
        await Expect(page.GetByTestId("graph-details")).ToContainTextAsync("관세청 (문서 빈도 2)");
        await Expect(page.GetByTestId("graph-download")).ToHaveAttributeAsync("download", "keyword-graph-관세청.graphml");
        await ConsolePages.ScreenshotAsync(page, "keyword-graph");

        await page.Locator("[data-testid='graph-node'][data-keyword='수입신고']").ClickAsync();
        await Expect(picture).ToHaveAttributeAsync("data-center", "수입신고");
        await Expect(page.GetByTestId("graph-keyword")).ToHaveValueAsync("수입신고");
    }

    [Fact]
    public async Task A_keyword_that_is_not_in_the_graph_says_so()
    {
        var appliance = fixture.Appliance;
        await appliance.InstallFirstPartyOnceAsync("Nlps.Agents.KeywordGraph");
        var page = await chromium.NewPageAsync(appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GotoAsync("/console/#/graph");

        await page.GetByTestId("graph-keyword").FillAsync("없는말");
        await page.GetByTestId("graph-show").ClickAsync();

        await Expect(page.GetByTestId("notice-error")).ToContainTextAsync("'없는말' is not in the graph.");
    }
}
