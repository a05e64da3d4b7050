using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Nlps.Api.Admin;
using Nlps.Api.Agents;
using Nlps.Api.Health;
using Nlps.Api.Security;
using Nlps.Plugins.Management;
using Nlps.Storage.Audit;

namespace Nlps.Api.Serialization;

/// <summary>Source-generated JSON for everything the API writes (host types only; agents serialise their own).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(List<AgentSummary>))]
[JsonSerializable(typeof(PluginStatus))]
[JsonSerializable(typeof(IReadOnlyList<PluginStatus>))]
[JsonSerializable(typeof(UninstallResult))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ApplianceStatus))]
[JsonSerializable(typeof(CallerIdentity))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(ApiKeyCreateRequest))]
[JsonSerializable(typeof(CreatedApiKey))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
