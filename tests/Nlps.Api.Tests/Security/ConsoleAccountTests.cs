using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Api.Tests.Support;
using Nlps.Testing;

namespace Nlps.Api.Tests.Security;

public sealed class ConsoleAccountTests
{
    private const string Password = "올바른 비밀번호 123";

    [Fact]
    public async Task First_run_creates_exactly_one_administrator_and_signs_it_in()
    {
        await using var appliance = new TestAppliance();
        using var browser = new ConsoleClient(appliance.CreateClient());
        Assert.Equal("setup", (await browser.SessionAsync()).GetProperty("state").GetString());

        using (var weak = await browser.PostAsync("/v1/admin/session/setup", new { username = "관리자", password = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
            Assert.Equal("weak_password", await CodeAsync(weak));
        }

        using (var created = await browser.PostAsync("/v1/admin/session/setup", new { username = "관리자", password = Password }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var session = await browser.SessionAsync();
        Assert.Equal("signed-in", session.GetProperty("state").GetString());
        Assert.Equal("관리자", session.GetProperty("username").GetString());
        using (var status = await browser.Http.GetAsync("/v1/admin/status"))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        }

        using var other = new ConsoleClient(appliance.CreateClient());
        Assert.Equal("signed-out", (await other.SessionAsync()).GetProperty("state").GetString());
        using var second = await other.PostAsync("/v1/admin/session/setup", new { username = "침입자", password = Password });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("setup_already_done", await CodeAsync(second));

        using var admin = appliance.CreateAdminClient();
        var accounts = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts");
        Assert.Equal("관리자", Assert.Single(accounts.EnumerateArray()).GetProperty("username").GetString());
        Assert.DoesNotContain("hash", accounts.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_and_setup_without_the_antiforgery_token_are_refused_and_audited()
    {
        await using var appliance = new TestAppliance();
        using var browser = new ConsoleClient(appliance.CreateClient());
        await browser.SessionAsync();

        using var setup = await browser.PostAsync("/v1/admin/session/setup", new { username = "관리자", password = Password }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, setup.StatusCode);
        Assert.Equal("csrf_token_invalid", await CodeAsync(setup));
        using var admin = appliance.CreateAdminClient();
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/v1/admin/accounts")).EnumerateArray());
        var audit = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/audit?action=auth.csrf");
        Assert.Equal("POST /v1/admin/session/setup", Assert.Single(audit.EnumerateArray()).GetProperty("target").GetString());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_until_the_lockout_ends_on_the_clock()
    {
        var time = new FakeTimeProvider();
        await using var appliance = new TestAppliance(time: time);
        await CreateAccountAsync(appliance, "운영자");
        using var browser = new ConsoleClient(appliance.CreateClient());

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await browser.SignInAsync("운영자", "틀린 비밀번호 " + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("invalid_credentials", await CodeAsync(wrong));
        }

        using (var fifth = await browser.SignInAsync("운영자", "틀린 비밀번호 5"))
        {
            Assert.Equal((HttpStatusCode)423, fifth.StatusCode);
            Assert.Equal("account_locked", await CodeAsync(fifth));
            Assert.Equal("900", fifth.Headers.RetryAfter!.ToString());
        }

        time.Advance(TimeSpan.FromMinutes(14));
        using (var stillLocked = await browser.SignInAsync("운영자", Password))
        {
            Assert.Equal((HttpStatusCode)423, stillLocked.StatusCode);
            Assert.Equal("60", stillLocked.Headers.RetryAfter!.ToString());
        }

        time.Advance(TimeSpan.FromMinutes(1));
        using (var open = await browser.SignInAsync("운영자", Password))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        using var admin = appliance.CreateAdminClient();
        var logins = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/audit?action=auth.login")).EnumerateArray().ToList();
        Assert.Equal(["Ok", "Refused", "Refused", "Refused", "Refused", "Refused", "Refused"], logins.Select(l => l.GetProperty("result").GetString()));
    }

    [Fact]
    public async Task An_unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        await using var appliance = new TestAppliance();
        await CreateAccountAsync(appliance, "운영자");
        using var browser = new ConsoleClient(appliance.CreateClient());

        using var unknown = await browser.SignInAsync("없는사람", Password);
        using var wrong = await browser.SignInAsync("운영자", "틀린 비밀번호");

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_credentials", await CodeAsync(unknown));
        Assert.Equal("invalid_credentials", await CodeAsync(wrong));
    }

    [Fact]
    public async Task A_password_change_ends_the_accounts_other_sessions_and_keeps_this_one()
    {
        await using var appliance = new TestAppliance();
        await CreateAccountAsync(appliance, "운영자");
        using var here = new ConsoleClient(appliance.CreateClient());
        using var elsewhere = new ConsoleClient(appliance.CreateClient());
        (await here.SignInAsync("운영자", Password)).Dispose();
        (await elsewhere.SignInAsync("운영자", Password)).Dispose();

        using (var wrongCurrent = await here.PostAsync("/v1/admin/session/password", new { currentPassword = "틀린 비밀번호", newPassword = "새 비밀번호 4567" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongCurrent.StatusCode);
        }

        using (var changed = await here.PostAsync("/v1/admin/session/password", new { currentPassword = Password, newPassword = "새 비밀번호 4567" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        using (var mine = await here.Http.GetAsync("/v1/admin/status"))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        }

        using (var theirs = await elsewhere.Http.GetAsync("/v1/admin/status"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, theirs.StatusCode);
            Assert.Equal("session_ended", await CodeAsync(theirs));
        }

        using var fresh = new ConsoleClient(appliance.CreateClient());
        using (var old = await fresh.SignInAsync("운영자", Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var renewed = await fresh.SignInAsync("운영자", "새 비밀번호 4567"))
        {
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        }

        using var admin = appliance.CreateAdminClient();
        var changes = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/audit?action=account.password")).EnumerateArray().ToList();
        Assert.Equal(["Ok", "Refused"], changes.Select(c => c.GetProperty("result").GetString()));
        Assert.All(changes, c => Assert.Equal("admin:운영자", c.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task The_admin_token_still_works_without_antiforgery_and_creates_accounts_for_nlpsctl()
    {
        await using var appliance = new TestAppliance();
        using var admin = appliance.CreateAdminClient();

        using (var created = await admin.PostAsync("/v1/admin/accounts", TestAppliance.Json($$"""{"username":"운영자","password":"{{Password}}"}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var again = await admin.PostAsync("/v1/admin/accounts", TestAppliance.Json($$"""{"username":"운영자","password":"{{Password}}"}""")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("account_exists", await CodeAsync(again));
        }

        using (var bad = await admin.PostAsync("/v1/admin/accounts", TestAppliance.Json("""{"username":" 공백 ","password":"x"}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalid_username", await CodeAsync(bad));
        }

        var audit = (await admin.GetFromJsonAsync<JsonElement>("/v1/admin/audit?action=account.create")).EnumerateArray().ToList();
        Assert.Equal(3, audit.Count);
        Assert.All(audit, row => Assert.Equal("admin-token", row.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_console_session_cookie_sent_with_a_bearer_header_is_ignored_in_favour_of_the_bearer()
    {
        await using var appliance = new TestAppliance();
        await CreateAccountAsync(appliance, "운영자");
        using var browser = new ConsoleClient(appliance.CreateClient());
        (await browser.SignInAsync("운영자", Password)).Dispose();
        browser.Http.DefaultRequestHeaders.Authorization = new("Bearer", "nlps_not_a_real_token");

        using var response = await browser.Http.GetAsync("/v1/admin/status");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task CreateAccountAsync(TestAppliance appliance, string username)
    {
        using var admin = appliance.CreateAdminClient();
        using var response = await admin.PostAsync("/v1/admin/accounts", TestAppliance.Json(JsonSerializer.Serialize(new { username, password = Password })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
