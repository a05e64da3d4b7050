using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Nlps.Api.Admin;
using Nlps.Api.Agents;
using Nlps.Api.Health;
using Nlps.Api.Security;
using Nlps.Api.Models;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Store;
using Nlps.Plugins.Management;
using Nlps.Storage.Audit;
using Nlps.Storage.Models;

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
[JsonSerializable(typeof(List<OperationSchema>))]
[JsonSerializable(typeof(IReadOnlyList<Nlps.Api.Logs.LogLine>))]
[JsonSerializable(typeof(PluginStatus))]
[JsonSerializable(typeof(IReadOnlyList<PluginStatus>))]
[JsonSerializable(typeof(UninstallResult))]
[JsonSerializable(typeof(PluginConfigView))]
[JsonSerializable(typeof(Nlps.Plugins.Configuration.ConfigError[]))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(Nlps.Api.Metrics.Traffic.TrafficSummary))]
[JsonSerializable(typeof(ApplianceStatus))]
[JsonSerializable(typeof(CallerIdentity))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(ApiKeyCreateRequest))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(HardwareSnapshot))]
[JsonSerializable(typeof(Nlps.Models.Scheduling.SchedulerStatus))]
[JsonSerializable(typeof(Nlps.Models.Scheduling.DeploymentStatus))]
[JsonSerializable(typeof(PlanRequest))]
[JsonSerializable(typeof(PlanResponse))]
[JsonSerializable(typeof(IReadOnlyList<ModelRecord>))]
[JsonSerializable(typeof(IReadOnlyList<StoredModelListing>))]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(ModelImportRequest))]
[JsonSerializable(typeof(ModelJobStatus))]
[JsonSerializable(typeof(IReadOnlyList<ModelJobStatus>))]
[JsonSerializable(typeof(ConsoleSessionInfo))]
[JsonSerializable(typeof(CredentialsRequest))]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(AdminAccountInfo))]
[JsonSerializable(typeof(IReadOnlyList<AdminAccountInfo>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
