/* Wild reads its directives in this comment.
//#Arch:x86_64
*/
	.globl	_start
	.text
_start:
	movl	$60, %eax
	movl	$42, %edi
	syscall
