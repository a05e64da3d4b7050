using System.Text.Json.Serialization;
using Nlps.Provisioning.Backup;
using Nlps.Provisioning.Journal;
using Nlps.Provisioning.Reports;

namespace Nlps.Provisioning;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StepRecord))]
[JsonSerializable(typeof(ProvisioningReport))]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class ProvisioningJsonContext : JsonSerializerContext;
