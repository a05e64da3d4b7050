using Microsoft.Extensions.Options;
using Nlps.Api.Admin;
using Nlps.Api.Agents;
using Nlps.Api.Metrics;
using Nlps.Api.Security;
using Nlps.Api.Security.Accounts;
using Nlps.Api.Security.ApiKeys;
using Nlps.Api.Serialization;
using Nlps.Daemon.Configuration;
using Nlps.Daemon.KeyRing;
using Nlps.Daemon.Systemd;
using Nlps.Hardware.Snapshot;
using Nlps.Models.Deployments;
using Nlps.Models.Estimation;
using Nlps.Models.Planning;
using Nlps.Models.Store;
using Nlps.Plugins.Management;
using Nlps.Plugins.Packaging;
using Nlps.Plugins.Runtime;
using Nlps.Sdk.Manifest;
using Nlps.Storage.Audit;
using Nlps.Storage.Database;
using Nlps.Storage.Documents;
using Nlps.Storage.KeyValue;
using Nlps.Storage.Models;
using Nlps.Storage.Plugins;
using Nlps.Storage.Settings;
using Nlps.Storage.Vectors;

namespace Nlps.Daemon.Startup;

/// <summary>The appliance's service graph: options (validated at start), storage, plugins, API, systemd.</summary>
internal static class ApplianceServices
{
    public static IServiceCollection AddAppliance(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StateOptions>, StateOptionsValidator>();
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        services.AddOptions<AgentApiOptions>().BindConfiguration(AgentApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentApiOptions>>(new AnnotatedOptionsValidator<AgentApiOptions>(AgentApiOptions.SectionName));
        services.AddOptions<PluginHostOptions>()
            .BindConfiguration(PluginHostOptions.SectionName)
            .Configure<IOptions<StateOptions>>((plugins, state) =>
            {
                plugins.PluginsDirectory = Path.Combine(state.Value.FullPath, "plugins");
                plugins.StagingDirectory = Path.Combine(state.Value.FullPath, "staging");
                plugins.DataDirectory = Path.Combine(state.Value.FullPath, "plugin-data");
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PluginHostOptions>>(new AnnotatedOptionsValidator<PluginHostOptions>(PluginHostOptions.SectionName));
        services.AddSingleton<IValidateOptions<PluginHostOptions>, PluginTrustValidator>();

        services.AddSingleton(sp => StateDatabase.Open(
            sp.GetRequiredService<IOptions<StateOptions>>().Value.DatabasePath,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StateDatabase>>()));
        services.AddSingleton<SettingsStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton<KeyValueStoreFactory>();
        services.AddSingleton<DocumentStoreFactory>();
        services.AddSingleton<VectorStoreFactory>();

        // Models: the store under <state>/models, its jobs, the what-if planner.
        services.AddOptions<HardwareOptions>().PostConfigure<IOptions<StateOptions>>((hardware, state) => hardware.StateFolder = state.Value.FullPath);
        services.AddOptions<ModelStoreOptions>().Configure<IOptions<StateOptions>>((store, state) => store.Directory = Path.Combine(state.Value.FullPath, "models"));
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelJobs>();
        services.AddHostedService<ModelStoreStartup>();
        services.AddOptions<PlannerOptions>().BindConfiguration("Planner").ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlannerOptions>, PlannerOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PlannerOptions>>().Value);
        services.AddSingleton(sp => new PlacementPlanner(sp.GetRequiredService<PlannerOptions>()));

        // Deployments (Models:Deployments) on the CPU engine, scheduled; agents' model roles resolve to them.
        services.AddOptions<ModelDeploymentOptions>().BindConfiguration(ModelDeploymentOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelDeploymentOptions>, ModelDeploymentOptionsValidator>();
        services.AddSingleton(sp => new ModelDeployments(
            sp.GetRequiredService<IOptions<ModelDeploymentOptions>>(),
            sp.GetRequiredService<ModelStore>(),
            new MemoryEstimator(sp.GetRequiredService<PlannerOptions>().Estimator),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<PlacementPlanner>(),
            sp.GetService<IHardwareSnapshotSource>()));
        services.AddSingleton<IServedModels>(sp => sp.GetRequiredService<ModelDeployments>());
        services.AddSingleton<Nlps.Models.Engines.IEngineMetricsSource>(sp => sp.GetRequiredService<ModelDeployments>());
        services.AddHostedService<ModelDeploymentsStartup>();
        services.AddSingleton<IModelRoleProvider, DeployedModelRoles>();
        services.AddSingleton<AgentActivator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PluginHostOptions>>().Value;
            var keys = TrustedKeyRing.FromPemFiles(options.TrustedKeyFiles);
            return new PackageVerifier(new PackageVerificationOptions
            {
                TrustedKeys = keys,
                AllowUnsigned = options.AllowUnsigned,
                MaxPackageBytes = options.MaxPackageBytes,
                HostSdkVersion = SdkCompatibility.Current,
            });
        });
        services.AddSingleton<Nlps.Plugins.Configuration.PluginConfigStore>();
        services.AddSingleton<PluginManager>();

        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>>(new AnnotatedOptionsValidator<ApiKeyOptions>(ApiKeyOptions.SectionName));
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        services.AddOptions<AdminAccountOptions>().BindConfiguration(AdminAccountOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminAccountOptions>>(new AnnotatedOptionsValidator<AdminAccountOptions>(AdminAccountOptions.SectionName));

        services.AddPersistentDataProtection();
        services.AddSingleton<ApplianceMetrics>();
        services.AddSingleton<MetricsExporter>();
        services.AddSingleton<Nlps.Api.Metrics.Traffic.RecentTraffic>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<OperationDispatcher>();
        services.AddSingleton<Nlps.Api.OpenAi.ChatCompletionHandler>();
        services.AddSingleton<Nlps.Api.OpenAi.EmbeddingsHandler>();
        services.AddNlpsApiSecurity();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
            {
                404 => "route_not_found",
                405 => "method_not_allowed",
                413 => "request_too_large",
                _ => "http_error",
            }));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Readable));

        services.AddSingleton(SystemdEnvironment.FromProcess());
        services.AddSingleton<SystemdNotifier>();
        services.AddHostedService<SystemdLifecycle>();
        services.AddHostedService<ApplianceStartup>();
        services.AddHostedService<WatchdogService>();
        return services;
    }
}
