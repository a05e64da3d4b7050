using System.Net.Http.Json;
using System.Text.Json;

namespace Nlps.Api.Tests.Support;

/// <summary>What the console's browser does over HTTP: keeps the cookies, sends the antiforgery token it was given.</summary>
internal sealed class ConsoleClient(HttpClient http) : IDisposable
{
    public string CsrfToken { get; private set; } = string.Empty;

    public HttpClient Http => http;

    public async Task<JsonElement> SessionAsync()
    {
        var session = await http.GetFromJsonAsync<JsonElement>("/v1/admin/session");
        CsrfToken = session.GetProperty("csrfToken").GetString()!;
        return session.Clone();
    }

    /// <summary>POSTs JSON with the token; a 200 answer that carries a new token (login, setup, password) replaces it.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, object? body, bool withToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : TestAppliance.Json(JsonSerializer.Serialize(body)),
        };
        if (withToken)
        {
            request.Headers.Add("X-CSRF-Token", CsrfToken);
        }

        var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("csrfToken", out var token))
            {
                CsrfToken = token.GetString()!;
            }
        }

        return response;
    }

    public async Task<HttpResponseMessage> SignInAsync(string username, string password)
    {
        await SessionAsync();
        return await PostAsync("/v1/admin/session/login", new { username, password });
    }

    public void Dispose() => http.Dispose();
}
