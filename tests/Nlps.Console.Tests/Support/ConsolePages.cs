using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests.Support;

/// <summary>Steps several tests share, written the way an operator does them.</summary>
public static class ConsolePages
{
    public static async Task SignInAsync(IPage page, string username, string password = ConsoleAppliance.Password)
    {
        await page.GotoAsync("/console/");
        await Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
        await page.GetByTestId("username").FillAsync(username);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Expect(page.GetByTestId("nav-dashboard")).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page screenshot to the test output folder and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
