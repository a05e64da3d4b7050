using Microsoft.Playwright;
using Nlps.Console.Tests.Support;
using Nlps.Testing;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

/// <summary>The knowledge-base page driving the real chatbot agent: create, upload with a report, re-upload, search.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class KnowledgeBasePageTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    [Fact]
    public async Task Documents_are_uploaded_with_a_per_document_report_skipped_when_unchanged_and_found_by_search()
    {
        var appliance = fixture.Appliance;
        await appliance.InstallFirstPartyOnceAsync("Nlps.Agents.Chatbot");
        using var work = new TempFolder("nlps-kb-page");
        string guide = work.Combine("금융실명제 안내.md");
        await File.WriteAllTextAsync(guide, "# 금융실명제\n\n금융실명제는 1993년 8월 12일 대통령 긴급명령으로 도입되었다. 모든 금융거래는 실명으로 하여야 한다.\n\n# 예금자보호\n\n예금자보호법은 1인당 5천만 원까지 보호한다.\n");
        string broken = work.Combine("깨진 문서.docx");
        await File.WriteAllBytesAsync(broken, [0x50, 0x4B, 0x03, 0x04, 0xFF, 0xFF]);

        var page = await chromium.NewPageAsync(appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GetByTestId("nav-kb").ClickAsync();
        await page.GetByTestId("kb-name").FillAsync("사내규정");
        await page.GetByTestId("kb-create").ClickAsync();
        var row = page.Locator("tr[data-kb='사내규정']");
        await Expect(row.GetByTestId("kb-documents")).ToHaveTextAsync("0");

        await page.GetByTestId("kb-target").SelectOptionAsync("사내규정");
        await page.GetByTestId("kb-files").SetInputFilesAsync([guide, broken]);
        await page.GetByTestId("kb-upload").ClickAsync();
        await Expect(page.GetByTestId("kb-report").GetByRole(AriaRole.Alert)).ToHaveTextAsync("색인 1건, 건너뜀 0건, 실패 1건");
        await Expect(page.Locator("[data-testid='kb-item'][data-status='failed']")).ToContainTextAsync("깨진 문서.docx");
        await Expect(row.GetByTestId("kb-documents")).ToHaveTextAsync("1");

        await page.GetByTestId("kb-files").SetInputFilesAsync(guide);
        await page.GetByTestId("kb-upload").ClickAsync();
        await Expect(page.GetByTestId("kb-report").GetByRole(AriaRole.Status)).ToHaveTextAsync("색인 0건, 건너뜀 1건, 실패 0건");

        await page.GetByTestId("kb-query").FillAsync("금융실명제는 언제 도입되었나요?");
        await page.GetByTestId("kb-mode").SelectOptionAsync("bm25");
        await page.GetByTestId("kb-search").ClickAsync();
        await Expect(page.GetByTestId("kb-hit").First).ToContainTextAsync("1993년 8월 12일");
        await ConsolePages.ScreenshotAsync(page, "knowledge-base");
    }
}
