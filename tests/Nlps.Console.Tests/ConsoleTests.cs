using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Nlps.Console.Tests.Support;
using Nlps.Testing;
using static Microsoft.Playwright.Assertions;

namespace Nlps.Console.Tests;

[Collection(ChromiumCollection.Name)]
public sealed class ConsoleTests(Chromium chromium, ApplianceFixture fixture) : IClassFixture<ApplianceFixture>
{
    private ConsoleAppliance Appliance => fixture.Appliance;

    [Fact]
    public async Task Wrong_passwords_are_refused_and_the_fifth_locks_the_account_even_against_the_right_password()
    {
        const string account = "잠금시험";
        Appliance.CreateAccount(account);
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await page.GotoAsync("/console/");
        await page.GetByTestId("username").FillAsync(account);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.GetByTestId("password").FillAsync($"틀린 비밀번호 {attempt}");
            await page.GetByTestId("signin-submit").ClickAsync();
            await Expect(page.GetByTestId("notice-error")).ToHaveTextAsync("사용자 이름 또는 비밀번호가 틀렸습니다.");
        }

        await page.GetByTestId("password").FillAsync("틀린 비밀번호 5");
        await page.GetByTestId("signin-submit").ClickAsync();
        await Expect(page.GetByTestId("notice-error")).ToContainTextAsync("계정이 잠겼습니다");

        await page.GetByTestId("password").FillAsync(ConsoleAppliance.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Expect(page.GetByTestId("notice-error")).ToContainTextAsync("계정이 잠겼습니다");
        await Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();

        var logins = (await Appliance.AuditAsync("auth.login")).Where(row => row.GetProperty("target").GetString() == account).ToList();
        Assert.Equal(6, logins.Count);
        Assert.All(logins, row => Assert.Equal("Refused", row.GetProperty("result").GetString()));
        Assert.Contains("locked until", logins[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uploaded_plugin_shows_upload_progress_then_runs_and_can_be_disabled_and_enabled()
    {
        var package = await Appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: "test.upload"));
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);

        await page.GetByTestId("upload-file").SetInputFilesAsync(package);
        await page.GetByTestId("upload-submit").ClickAsync();

        var row = page.Locator("tr[data-plugin='test.upload']");
        await Expect(row.GetByTestId("plugin-state")).ToHaveTextAsync("실행 중");
        var bar = page.GetByTestId("upload-progress");
        await Expect(bar).ToHaveAttributeAsync("data-done", new FileInfo(package).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(bar).ToHaveAttributeAsync("data-total", new FileInfo(package).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(100, await bar.EvaluateAsync<double>("bar => bar.value"));
        await Expect(page.GetByTestId("upload-progress-caption")).ToHaveTextAsync("test.upload 1.0.0 설치 완료");

        await row.GetByTestId("plugin-disable").ClickAsync();
        await Expect(row.GetByTestId("plugin-state")).ToHaveTextAsync("비활성");
        await row.GetByTestId("plugin-enable").ClickAsync();
        await Expect(row.GetByTestId("plugin-state")).ToHaveTextAsync("실행 중");

        var actions = (await Appliance.AuditAsync("plugin.disable")).Concat(await Appliance.AuditAsync("plugin.enable")).Concat(await Appliance.AuditAsync("plugin.install"));
        Assert.All(actions.Where(a => a.GetProperty("target").GetString()!.StartsWith("test.upload", StringComparison.Ordinal)), a =>
            Assert.Equal("admin:" + ApplianceFixture.Operator, a.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_plugin_name_carrying_markup_is_shown_as_text_and_never_runs()
    {
        const string name = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        var package = await Appliance.Packages.BuildAsync(TestPlugins.EchoProject, TestPlugins.Echo(id: "test.xss") with { Name = name });
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);

        await page.GetByTestId("upload-file").SetInputFilesAsync(package);
        await page.GetByTestId("upload-submit").ClickAsync();

        var row = page.Locator("tr[data-plugin='test.xss']");
        await Expect(row.GetByTestId("plugin-name")).ToHaveTextAsync(name);
        await Expect(row.Locator("img, script")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
    }

    [Fact]
    public async Task An_API_key_is_shown_once_works_and_is_refused_after_it_is_revoked_in_the_console()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GetByTestId("nav-keys").ClickAsync();

        await page.GetByTestId("key-name").FillAsync("번역 서버");
        await page.GetByTestId("key-scopes").FillAsync("test.echo/echo");
        await page.GetByTestId("key-create").ClickAsync();
        var key = await page.GetByTestId("created-key-text").TextContentAsync();
        Assert.StartsWith("nlps_", key, StringComparison.Ordinal);
        var row = page.Locator("tr[data-testid='key-row']", new PageLocatorOptions { HasText = "번역 서버" });
        await Expect(row.GetByTestId("key-state")).ToHaveTextAsync("사용 중");

        using (var client = Appliance.CreateClientWith(key!))
        using (var response = await client.GetAsync("/v1/whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Shown once: the list never carries the key text, and a reload loses it.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("created-key-text")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key!, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByTestId("key-revoke").ClickAsync();
        await Expect(row.GetByTestId("key-state")).ToHaveTextAsync("폐기됨");
        using (var client = Appliance.CreateClientWith(key!))
        using (var response = await client.GetAsync("/v1/whoami"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("api_key_revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Switching_to_English_relabels_the_console_and_survives_a_reload()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await Expect(page.GetByTestId("nav-audit")).ToHaveTextAsync("감사 로그");

        await page.GetByTestId("language").SelectOptionAsync("en");
        await Expect(page.GetByTestId("nav-audit")).ToHaveTextAsync("Audit log");
        await Expect(page.GetByTestId("simulated-badge")).ToHaveTextAsync("SIMULATED");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("nav-dashboard")).ToHaveTextAsync("Dashboard");
        await ConsolePages.ScreenshotAsync(page, "dashboard-en");
    }

    [Fact]
    public async Task The_audit_page_lists_the_accounts_own_actions_and_pages_back()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        await page.GetByTestId("nav-audit").ClickAsync();

        var newest = page.GetByTestId("audit-row").First;
        await Expect(newest).ToContainTextAsync("auth.login");
        await Expect(newest).ToContainTextAsync("admin:" + ApplianceFixture.Operator);
        await Expect(page.GetByTestId("audit-page")).ToHaveTextAsync("1쪽");
    }

    [Fact]
    public async Task Logout_returns_to_the_login_form_and_the_old_session_cookie_no_longer_works()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "nlps_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        await page.GetByTestId("logout").ClickAsync();
        await Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
        Assert.Single(await Appliance.AuditAsync("auth.logout"), row => row.GetProperty("actor").GetString() == "admin:" + ApplianceFixture.Operator);

        var status = await page.EvaluateAsync<int>("async () => (await fetch('/v1/admin/status')).status");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task A_state_changing_call_without_the_antiforgery_token_is_refused_and_audited()
    {
        var page = await chromium.NewPageAsync(Appliance.BaseAddress);
        await ConsolePages.SignInAsync(page, ApplianceFixture.Operator);

        var answer = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const response = await fetch('/v1/admin/api-keys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'forged', scopes: ['*'] }) });
              return { status: response.status, body: await response.json() };
            }
            """);
        Assert.Equal(400, answer.GetProperty("status").GetInt32());
        Assert.Equal("csrf_token_invalid", answer.GetProperty("body").GetProperty("code").GetString());
        Assert.Contains(await Appliance.AuditAsync("auth.csrf"), row => row.GetProperty("actor").GetString() == "admin:" + ApplianceFixture.Operator);
    }

    [Fact]
    public async Task Console_files_carry_a_strict_content_security_policy_and_no_inline_script()
    {
        using var client = new HttpClient { BaseAddress = Appliance.BaseAddress };
        using var response = await client.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
        Assert.DoesNotMatch(@"<[^>]*\son[a-z]+\s*=", html);
    }

    [Fact]
    public async Task Metrics_are_open_to_an_anonymous_scraper_on_loopback_and_pass_promtool()
    {
        using var client = new HttpClient { BaseAddress = Appliance.BaseAddress };
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("nlps_build_info", text, StringComparison.Ordinal);
        var (exitCode, output) = TestTools.PromtoolCheckMetrics(text);
        Assert.True(exitCode == 0, output);
    }
}
