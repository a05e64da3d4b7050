using Nlps.Models.Estimation;

namespace Nlps.Models.Store;

/// <summary>What a stored model is for, from its architecture family.</summary>
public enum ModelTask
{
    Chat,
    Embedding,
    Seq2Seq,
}

/// <summary>Maps an architecture family to the task the appliance serves it for.</summary>
public static class ModelTasks
{
    public static ModelTask For(ModelFamily family) => family switch
    {
        ModelFamily.Decoder => ModelTask.Chat,
        ModelFamily.Encoder => ModelTask.Embedding,
        _ => ModelTask.Seq2Seq,
    };
}
