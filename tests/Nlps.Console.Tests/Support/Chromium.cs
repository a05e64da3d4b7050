using Microsoft.Playwright;
using Nlps.Testing;

namespace Nlps.Console.Tests.Support;

/// <summary>
/// One headless Debian chromium for the whole test run, driven by Playwright (its bundled node driver; no
/// downloaded browsers). Each test opens its own context, so cookies and storage never leak between tests.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    // Generous: these are guards against a hung browser on a shared 2-core machine, not timing assertions.
    private const float TimeoutMs = 60_000;

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = TestTools.Ensure("chromium", "chromium");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Timeout = TimeoutMs,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
    }

    /// <summary>A fresh page (own cookies) on <paramref name="baseAddress"/>, Korean locale, a desktop-sized window.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = "ko-KR",
            ViewportSize = new ViewportSize { Width = 1440, Height = 1100 },
        });
        context.SetDefaultTimeout(TimeoutMs);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            }
        };
        PageErrors[page] = errors;
        return page;
    }

    /// <summary>Console errors each page logged (CSP violations show up here).</summary>
    public Dictionary<IPage, List<string>> PageErrors { get; } = [];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
