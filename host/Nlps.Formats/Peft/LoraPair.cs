namespace Nlps.Formats.Peft;

/// <summary>
/// One adapted linear layer: the base weight <see cref="BaseTensor"/> ([Out, In]) gains scale·B·A, with A
/// (<see cref="TensorA"/>, [Rank, In]) and B (<see cref="TensorB"/>, [Out, Rank]) named as in the adapter file.
/// </summary>
/// <param name="BaseTensor">The adapted weight, by its Hugging Face name.</param>
/// <param name="Module">Its module name (<c>q_proj</c>, …).</param>
/// <param name="TensorA">The A matrix's name in the adapter file.</param>
/// <param name="TensorB">The B matrix's name in the adapter file.</param>
/// <param name="Rank">r.</param>
/// <param name="In">Columns of the base weight.</param>
/// <param name="Out">Rows of the base weight.</param>
public sealed record LoraPair(string BaseTensor, string Module, string TensorA, string TensorB, int Rank, int In, int Out);
