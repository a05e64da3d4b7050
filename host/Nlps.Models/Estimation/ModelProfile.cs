namespace Nlps.Models.Estimation;

/// <summary>What the estimator needs to know about one model: its shape and its weight tensors.</summary>
public sealed record ModelProfile(string Id, ModelArchitecture Architecture, WeightInventory Weights)
{
    /// <summary>A profile from config.json alone; weights are derived from the architecture.</summary>
    public static ModelProfile FromConfig(string id, string configJson)
    {
        ModelArchitecture architecture = ModelConfigReader.Parse(configJson, $"{id}/config.json");
        return new ModelProfile(id, architecture, ArchitectureWeights.From(architecture));
    }
}
