using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nlps.Api.Tests.Support;

namespace Nlps.Api.Tests.Security;

public sealed class RouteProtectionTests
{
    // The only routes anyone may call without a credential. /metrics is anonymous on loopback only, which the
    // in-process server is not, so it must refuse here like the rest.
    // The console's files hold no data, and its session routes (state + antiforgery token, login, first run) are how
    // a browser gets a credential at all; login and first run still need the antiforgery token.
    private static readonly HashSet<string> PublicRoutes = ["/healthz", "/readyz", "/console/{**path}", "/v1/admin/session/", "/v1/admin/session/login", "/v1/admin/session/setup"];

    [Fact]
    public async Task Every_endpoint_is_either_on_the_public_list_or_refuses_an_anonymous_request()
    {
        await using var appliance = new TestAppliance();
        using var anonymous = appliance.CreateClient();
        var endpoints = appliance.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 10, $"only {endpoints.Count} endpoints found");

        var checkedRoutes = 0;
        foreach (var endpoint in endpoints)
        {
            var template = endpoint.RoutePattern.RawText!;
            var anonymousAllowed = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(anonymousAllowed == PublicRoutes.Contains(template), $"{template}: allows anonymous = {anonymousAllowed}, on the public list = {PublicRoutes.Contains(template)}");
            if (anonymousAllowed)
            {
                continue;
            }

            var path = string.Join('/', template.Split('/').Select(segment => segment.StartsWith('{') ? "x" : segment));
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                using var response = await anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} ({template}) answered {(int)response.StatusCode} without a credential");
                checkedRoutes++;
            }
        }

        Assert.True(checkedRoutes >= 15, $"only {checkedRoutes} protected routes checked");
    }
}
