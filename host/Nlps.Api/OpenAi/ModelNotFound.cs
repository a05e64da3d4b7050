using Microsoft.AspNetCore.Http;
using Nlps.Models.Deployments;

namespace Nlps.Api.OpenAi;

/// <summary>
/// The 404 text for a model name nobody serves. For <c>deployment:adapter</c> on a deployment the caller may use, it
/// names the adapters that deployment does serve, so a typo in an adapter name is obvious.
/// </summary>
internal static class ModelNotFound
{
    public static string Message(HttpContext context, IServedModels deployments, string model)
    {
        if (DeploymentAdapters.TrySplit(model, out string deployment, out string adapter)
            && deployments.Find(deployment) is { } known && OpenAiEndpoints.MayUse(context, deployment))
        {
            return $"The model '{model}' does not exist: deployment '{deployment}' has no adapter '{adapter}'; its adapters: {DeploymentAdapters.Describe(known.Adapters)}.";
        }

        return $"The model '{model}' does not exist or you do not have access to it.";
    }
}
